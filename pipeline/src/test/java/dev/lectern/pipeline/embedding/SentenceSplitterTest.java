package dev.lectern.pipeline.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class SentenceSplitterTest {

    private final SentenceSplitter splitter = new SentenceSplitter();

    @Test
    void splitsEnglishSentencesAndKeepsAbbreviations() {
        assertEquals(List.of("Dr. Smith arrived on Monday.", "The meeting lasted two hours.", "Was it worth it?"),
                splitter.split("Dr. Smith arrived on Monday. The meeting lasted two hours. Was it worth it?"));
    }

    @Test
    void joinsWrappedLinesAndSeparatesHeadings() {
        String text = """
                Quarterly Report
                Revenue grew by twelve percent in the third quarter, driven by strong demand for the
                company's cloud services and a weaker dollar.

                Outlook
                Management expects growth to continue.
                """;
        assertEquals(List.of("Quarterly Report",
                "Revenue grew by twelve percent in the third quarter, driven by strong demand for the company's cloud services and a weaker dollar.",
                "Outlook", "Management expects growth to continue."), splitter.split(text));
    }

    @Test
    void aShortWrappedTailIsNotAHeading() {
        String text = """
                Late payments may incur interest at 8% above the Bank of England base rate under the Late
                Payment of
                Commercial Debts (Interest) Act 1998. Goods remain ours.
                Summary
                Pay on time.
                """;
        assertEquals(List.of("Late payments may incur interest at 8% above the Bank of England base rate under the"
                        + " Late Payment of Commercial Debts (Interest) Act 1998.", "Goods remain ours.", "Summary",
                "Pay on time."), splitter.split(text));
    }

    @Test
    void listItemsWithoutFinalPunctuationAreSentencesOfTheirOwn() {
        assertEquals(List.of("Revenue: GBP 1,840,000 (plan GBP 1,770,000)", "Staff costs: GBP 1,010,000"),
                splitter.split("Revenue: GBP 1,840,000 (plan GBP 1,770,000)\nStaff costs: GBP 1,010,000\n"));
    }

    @Test
    void splitsAtCjkFullStops() {
        assertEquals(List.of("東京は日本の首都です。", "人口は多い。", "「本当？」", "はい。"),
                splitter.split("東京は日本の首都です。人口は多い。「本当？」はい。"));
    }

    @Test
    void emptyAndBlankTextHaveNoSentences() {
        assertEquals(List.of(), splitter.split(""));
        assertEquals(List.of(), splitter.split(" \n\t\n "));
    }
}
