package dev.lectern.pipeline.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TokenFitterTest {

    private final HashingEmbedder embedder = new HashingEmbedder(5);
    private final TokenFitter fitter = new TokenFitter(embedder);

    @Test
    void shortTextIsOnePiece() {
        assertEquals(List.of(new TokenFitter.Piece("one two three", 3)), fitter.pieces("one two three"));
    }

    @Test
    void longTextIsCutBetweenWordsIntoPiecesThatFit() {
        List<TokenFitter.Piece> pieces = fitter.pieces("a b c d e f g h i j k l");
        assertEquals(List.of("a b c d e", "f g h i j", "k l"), pieces.stream().map(TokenFitter.Piece::text).toList());
        pieces.forEach(p -> assertTrue(embedder.countTokens(p.text()) <= 5));
    }

    @Test
    void windowsGroupWholeSentencesWhenTheyFit() {
        List<TokenFitter.Piece> windows = fitter.windows(List.of("a b", "c d", "e f g", "h i j k l m n"));
        assertEquals(List.of("a b c d", "e f g", "h i j k l", "m n"),
                windows.stream().map(TokenFitter.Piece::text).toList());
        assertEquals(List.of(4, 3, 5, 2), windows.stream().map(TokenFitter.Piece::tokens).toList());
    }

    @Test
    void spreadEvenlyKeepsBothEnds() {
        assertEquals(List.of(0, 3, 6, 9), DocumentEmbedder.spreadEvenly(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), 4));
        assertEquals(List.of(0, 1), DocumentEmbedder.spreadEvenly(List.of(0, 1), 4));
    }

    @Test
    void documentEmbeddingIsTheTokenWeightedMeanOfItsWindows() {
        DocumentEmbedder documents = new DocumentEmbedder(embedder, new SentenceSplitter(), 5, 10);
        DocumentEmbedder.Result result = documents.embed("alpha alpha alpha alpha. beta gamma.");
        assertEquals(2, result.windows());
        assertEquals(6, result.tokensEmbedded());
        float[][] parts = embedder.embed(List.of("alpha alpha alpha alpha.", "beta gamma."));
        float[] expected = Vectors.normalizedMean(List.of(parts[0], parts[1]), new double[]{4, 2});
        assertEquals(1.0, Vectors.dot(expected, result.vector()), 1e-6);
    }
}
