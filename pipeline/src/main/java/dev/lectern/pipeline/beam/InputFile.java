package dev.lectern.pipeline.beam;

import java.io.Serializable;

/**
 * One entry of the input listing: the unit of work and of the results' sort order.
 *
 * @param relativePath   path relative to the input folder, forward slashes
 * @param absolutePath   where to read it
 * @param size           its size in bytes when listed
 * @param problem        why it cannot be read at all (an unreadable folder, a device), or null
 * @param reusableSha256 the SHA-256 an earlier run's kept records were made from, or null: if the file still has
 *                       it, the worker skips the file and the earlier records are kept
 */
public record InputFile(String relativePath, String absolutePath, long size, String problem, String reusableSha256)
        implements Serializable {

    public InputFile withReusableSha256(String sha256) {
        return new InputFile(relativePath, absolutePath, size, problem, sha256);
    }
}
