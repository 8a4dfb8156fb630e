package dev.lectern.pipeline.output;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * The second half of the external sort: a streaming k-way merge of sorted group sources. For a file present in
 * several sources, the group from the source with the highest precedence wins and the others are dropped. Holds
 * one group per source in memory.
 */
public final class GroupMerge implements GroupSource {

    /** A merged group and whether it came from a source marked as reused (records kept from an earlier run). */
    public record Picked(RecordGroup group, boolean reused) {
    }

    private record Head(RecordGroup group, int precedence, boolean reused, GroupSource source) {
    }

    private final PriorityQueue<Head> heads = new PriorityQueue<>((a, b) -> {
        int byKey = PathOrder.compare(a.group().file(), b.group().file());
        return byKey != 0 ? byKey : Integer.compare(b.precedence(), a.precedence());
    });
    private final List<GroupSource> sources = new ArrayList<>();

    /** Adds a source; later-added sources do not matter, only {@code precedence} (higher wins). */
    public GroupMerge add(GroupSource source, int precedence, boolean reused) throws IOException {
        sources.add(source);
        advance(source, precedence, reused);
        return this;
    }

    private void advance(GroupSource source, int precedence, boolean reused) throws IOException {
        RecordGroup next = source.next();
        if (next != null) {
            heads.add(new Head(next, precedence, reused, source));
        }
    }

    public Picked nextPicked() throws IOException {
        Head best = heads.poll();
        if (best == null) {
            return null;
        }
        advance(best.source(), best.precedence(), best.reused());
        while (!heads.isEmpty() && heads.peek().group().file().equals(best.group().file())) {
            Head dropped = heads.poll();
            advance(dropped.source(), dropped.precedence(), dropped.reused());
        }
        return new Picked(best.group(), best.reused());
    }

    @Override
    public RecordGroup next() throws IOException {
        Picked picked = nextPicked();
        return picked == null ? null : picked.group();
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (GroupSource source : sources) {
            try {
                source.close();
            } catch (IOException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
