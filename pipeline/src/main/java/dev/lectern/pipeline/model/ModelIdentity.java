package dev.lectern.pipeline.model;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.io.Serializable;

/**
 * The model that produced a record, as written in records and the run manifest.
 *
 * @param id     a human name: the file name, or the built-in model's name
 * @param sha256 hex SHA-256 of the model's weights file
 */
@JsonPropertyOrder({"id", "sha256"})
public record ModelIdentity(String id, String sha256) implements Serializable {
}
