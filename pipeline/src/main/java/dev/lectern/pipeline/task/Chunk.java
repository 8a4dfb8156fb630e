package dev.lectern.pipeline.task;

/**
 * One piece of a document's text.
 *
 * @param index position among the document's chunks, from 0
 * @param start offset of the first char in the document's text
 * @param end   offset after the last char
 * @param size  length in the chunker's unit (characters or model tokens)
 * @param text  the text from {@code start} to {@code end}
 */
public record Chunk(int index, int start, int end, int size, String text) {
}
