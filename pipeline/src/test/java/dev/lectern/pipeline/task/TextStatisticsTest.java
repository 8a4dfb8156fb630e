package dev.lectern.pipeline.task;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TextStatisticsTest {

    @Test
    void countsCharactersWordsLinesAndParagraphs() {
        assertEquals(new TextStatistics(0, 0, 0, 0), TextStatistics.of(""));
        assertEquals(new TextStatistics(38, 7, 4, 2),
                TextStatistics.of("First line, two.\nSecond\n\nThird para 3\n"));
        // Code points, not chars: the emoji counts once.
        assertEquals(new TextStatistics(4, 1, 1, 1), TextStatistics.of("日本語😀"));
    }
}
