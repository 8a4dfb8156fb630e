package dev.lectern.bench.minilm;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Distinct English-looking sentences of about 30 words (about 35 WordPiece tokens with [CLS]/[SEP], like the
 * peer measurement in {@code inference-peers.md}), drawn from a fixed word list with a fixed seed.
 */
final class Sentences {
    private static final String[] WORDS = ("the a of and to in is that for it with as was on be by this are from at or "
            + "an have not which but all were when we there can more one their has been if would will what so about "
            + "into than them only other new some could time these two may first then do any like people its over "
            + "such our man me even most made after also did many before must through back years where much your way "
            + "well down should because each just those how too little state good very make world still own see men "
            + "work long get here between both life being under never day same another know while last might us great "
            + "old year off come since against go came right used take three states himself few house use during "
            + "without again place american around however home small found thought went say part once general high "
            + "upon school every don does got united left number course war until always away something fact though "
            + "water less public put think almost hand enough far took head yet government system better set told "
            + "nothing night end why called didn eyes find going look asked later knew point next program city business "
            + "give group toward young days let room president side social given present several order national "
            + "possible rather second face per among form important often things looked early white case john become "
            + "large big need four within felt children along saw best church ever least power development light").split(" ");

    private Sentences() {}

    static List<String> generate(int count, int words, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String> out = new ArrayList<>(count);
        for (int s = 0; s < count; s++) {
            StringBuilder sb = new StringBuilder();
            int n = words - 3 + random.nextInt(7);
            for (int w = 0; w < n; w++) {
                String word = WORDS[random.nextInt(WORDS.length)];
                if (w == 0) word = Character.toUpperCase(word.charAt(0)) + word.substring(1);
                if (w > 0) sb.append(w % 11 == 0 ? ", " : " ");
                sb.append(word);
            }
            out.add(sb.append('.').toString());
        }
        return out;
    }
}
