package dev.lectern.pipeline.beam;

import dev.lectern.pipeline.extract.DocumentExtractor;
import dev.lectern.pipeline.extract.ExtractedDocument;
import dev.lectern.pipeline.model.FileDigests;
import dev.lectern.pipeline.output.DocumentRecord;
import dev.lectern.pipeline.output.Json;
import dev.lectern.pipeline.output.RecordError;
import dev.lectern.pipeline.output.RecordGroup;
import dev.lectern.pipeline.task.DocumentTask;
import dev.lectern.pipeline.task.TaskFailure;
import dev.lectern.pipeline.task.TaskInput;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One input file from listing to records: size check, hash, resume check, extraction, task. Every outcome is a
 * group of records (or "kept": the earlier run's records stand); nothing a document does escapes as an exception.
 * The text lives only for the duration of one call.
 */
public final class FileProcessor {

    private final RunSpec spec;
    private final DocumentExtractor extractor;
    private final DocumentTask task;

    public FileProcessor(RunSpec spec, DocumentExtractor extractor, DocumentTask task) {
        this.spec = spec;
        this.extractor = extractor;
        this.task = task;
    }

    /** The file's records, or null when the earlier run's records are kept (same content, same configuration). */
    public RecordGroup process(InputFile file) {
        if (file.problem() != null) {
            return single(file, null, inputError(file, "unreadable", file.problem()));
        }
        if (file.size() > spec.maxFileSize()) {
            return single(file, null, inputError(file, "too-large", "the file has " + file.size()
                    + " bytes, more than input.maxFileSize (" + spec.maxFileSize() + " bytes); it was not read"));
        }
        String sha256;
        try {
            sha256 = FileDigests.sha256(Path.of(file.absolutePath()));
        } catch (NoSuchFileException e) {
            return single(file, null, inputError(file, "missing", "the file disappeared before it was read"));
        } catch (AccessDeniedException e) {
            return single(file, null, inputError(file, "unreadable", "permission denied"));
        } catch (IOException e) {
            return single(file, null, inputError(file, "unreadable", "cannot be read: " + e.getMessage()));
        }
        if (sha256.equals(file.reusableSha256())) {
            return null;
        }
        List<ExtractedDocument> documents;
        try {
            documents = extractor.extract(Path.of(file.absolutePath()), file.relativePath());
        } catch (RuntimeException | StackOverflowError e) {
            return single(file, sha256, error(file.relativePath(), null, sha256, file.size(), null,
                    new RecordError("extract", "internal", "extraction failed unexpectedly: " + describe(e))));
        }
        if (documents == null || documents.isEmpty()) {
            return single(file, sha256, error(file.relativePath(), null, sha256, file.size(), null,
                    new RecordError("extract", "internal", "extraction returned no document")));
        }
        List<JsonNode> records = new ArrayList<>(documents.size());
        for (int i = 0; i < documents.size(); i++) {
            ExtractedDocument doc = documents.get(i);
            boolean top = i == 0;
            records.add(Json.tree(record(doc, top ? sha256 : doc.sha256(), top ? Long.valueOf(file.size()) : doc.size(), sha256)));
        }
        return new RecordGroup(file.relativePath(), sha256, spec.taskConfigHash(), records);
    }

    private DocumentRecord record(ExtractedDocument doc, String sha256, Long size, String fileSha256) {
        String path = doc.path();
        if (!doc.ok()) {
            return new DocumentRecord(path, doc.parentPath(), sha256, size, doc.contentType(), doc.metadata(),
                    DocumentRecord.ERROR, new RecordError("extract", doc.failure().type(), doc.failure().message()),
                    spec.taskType(), null, spec.model());
        }
        TaskInput input = new TaskInput(path, fileSha256, doc.contentType(), doc.metadata(), doc.text(),
                doc.textTruncated(), DocumentSeeds.seed(spec.task().seed(), fileSha256, path));
        try {
            Object result = task.run(input);
            return new DocumentRecord(path, doc.parentPath(), sha256, size, doc.contentType(), doc.metadata(),
                    DocumentRecord.OK, null, spec.taskType(), result, spec.model());
        } catch (TaskFailure f) {
            return new DocumentRecord(path, doc.parentPath(), sha256, size, doc.contentType(), doc.metadata(),
                    DocumentRecord.ERROR, new RecordError(f.stage(), f.type(), f.getMessage()), spec.taskType(),
                    null, spec.model());
        } catch (RuntimeException | StackOverflowError e) {
            return new DocumentRecord(path, doc.parentPath(), sha256, size, doc.contentType(), doc.metadata(),
                    DocumentRecord.ERROR, new RecordError(spec.taskType(), "internal", describe(e)),
                    spec.taskType(), null, spec.model());
        }
    }

    private RecordGroup single(InputFile file, String sha256, DocumentRecord record) {
        return new RecordGroup(file.relativePath(), sha256, spec.taskConfigHash(), List.of(Json.tree(record)));
    }

    private DocumentRecord inputError(InputFile file, String type, String message) {
        return error(file.relativePath(), null, null, file.problem() == null ? file.size() : null, null,
                new RecordError("input", type, message));
    }

    private DocumentRecord error(String path, String parent, String sha256, Long size, String contentType,
                                 RecordError error) {
        return new DocumentRecord(path, parent, sha256, size, contentType, null, DocumentRecord.ERROR, error,
                spec.taskType(), null, spec.model());
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    /** A document's seed: from the job seed and the document itself, never from order or thread. */
    static final class DocumentSeeds {
        private DocumentSeeds() {
        }

        static long seed(long jobSeed, String fileSha256, String path) {
            String digest = FileDigests.sha256(jobSeed + "\n" + fileSha256 + "\n" + path);
            return ByteBuffer.wrap(java.util.HexFormat.of().parseHex(digest.substring(0, 16))).getLong();
        }
    }
}
