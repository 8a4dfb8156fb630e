package dev.lectern.pipeline.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/** Small input folders and job files for pipeline tests. */
public final class Fixtures {

    private Fixtures() {
    }

    /** Nine input files (one zip with two members): 11 records, of which 2 are errors (empty, corrupt). */
    public static Path documents(Path dir) throws IOException {
        Path docs = Files.createDirectories(dir.resolve("docs"));
        write(docs.resolve("alpha.txt"), "Alpha is the first letter.\nIt opens the alphabet.\n");
        write(docs.resolve("beta gamma, ünïcødé.txt"), "Names with spaces, commas and accents.\n");
        write(docs.resolve("nested/deeper/delta.txt"), "Delta sits two folders down.\n\nSecond paragraph.\n");
        write(docs.resolve("nested/epsilon.md"), "# Epsilon\n\nMarkdown text.\n");
        write(docs.resolve("empty.txt"), "");
        write(docs.resolve("corrupt.pdf"), "%CORRUPT not a pdf");
        write(docs.resolve("zeta.txt"), "Zeta. ".repeat(200));
        write(docs.resolve("日本語.txt"), "日本語のテキストです。");
        try (OutputStream out = Files.newOutputStream(docs.resolve("archive.zip"));
             ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("one.txt"));
            zip.write("First member.".getBytes(StandardCharsets.UTF_8));
            zip.putNextEntry(new ZipEntry("two.txt"));
            zip.write("Second member.".getBytes(StandardCharsets.UTF_8));
        }
        return docs;
    }

    public static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** An extract job over {@code docs} writing {@code out}; {@code extra} is appended (more top-level keys). */
    public static Path extractJob(Path dir, Path docs, Path out, String extra) throws IOException {
        Path job = dir.resolve("job-" + System.nanoTime() + ".yaml");
        write(job, """
                input:
                  folder: %s
                task:
                  type: extract
                output:
                  path: %s
                %s
                """.formatted(docs.toAbsolutePath(), out.toAbsolutePath(), extra));
        return job;
    }
}
