package dev.lectern.pipeline.output;

import java.io.Closeable;
import java.io.IOException;

/** Record groups in {@link PathOrder} of their file, one key at most once. */
public interface GroupSource extends Closeable {

    /** The next group, or null at the end. */
    RecordGroup next() throws IOException;
}
