package dev.lectern.pipeline.model;

import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The JVM-wide model holder. A model is loaded once per JVM and shared by every worker thread: each DoFn instance
 * asks for it in {@code @Setup} with the same key and gets the same object, never a copy of its own. Keys should
 * name the weights exactly (use {@link #keyFor(ModelSpec, String)}: path plus SHA-256), so two jobs in one JVM
 * with different files never share a model by accident.
 *
 * <p>Loading happens outside the map's locks: one thread loads, the others asking for the same key wait for it.
 * A load that fails is not remembered, so a later call may try again; every waiting caller sees the failure.
 */
public final class SharedModels {

    private static final ConcurrentMap<String, Slot> MODELS = new ConcurrentHashMap<>();

    private SharedModels() {
    }

    /** A key for the model at {@code spec} whose weights hash to {@code sha256}. */
    public static String keyFor(ModelSpec spec, String sha256) {
        return (spec.isBuiltIn() ? "built-in" : spec.path()) + "#" + sha256;
    }

    /**
     * The model under {@code key}, loading it with {@code loader} if no thread has yet.
     *
     * @throws ModelLoadException when loading failed (here or in the thread that loaded it)
     */
    public static <T> T get(String key, Class<T> type, Callable<? extends T> loader) {
        Slot slot = MODELS.computeIfAbsent(key, k -> new Slot());
        Object model = slot.get(key, loader);
        if (!type.isInstance(model)) {
            throw new ModelLoadException("model " + key + " is a " + model.getClass().getName() + ", not a "
                    + type.getName());
        }
        return type.cast(model);
    }

    /** Whether a model is loaded under {@code key} (for tests and diagnostics). */
    public static boolean isLoaded(String key) {
        Slot slot = MODELS.get(key);
        return slot != null && slot.loaded();
    }

    /** How many models this JVM holds. */
    public static int size() {
        return (int) MODELS.values().stream().filter(Slot::loaded).count();
    }

    /** Drops a model so that it can be garbage-collected (its users must be done with it). */
    public static void release(String key) {
        Slot slot = MODELS.remove(key);
        if (slot != null && slot.loaded() && slot.model instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new ModelLoadException("model " + key + " could not be closed: " + e.getMessage(), e);
            }
        }
    }

    /** One key's model: loaded by the first caller, waited for by the rest. */
    private static final class Slot {
        private Object model;

        synchronized Object get(String key, Callable<?> loader) {
            if (model == null) {
                try {
                    Object loaded = loader.call();
                    if (loaded == null) {
                        throw new ModelLoadException("loading model " + key + " gave nothing");
                    }
                    model = loaded;
                } catch (ModelLoadException e) {
                    MODELS.remove(key, this);
                    throw e;
                } catch (Exception e) {
                    MODELS.remove(key, this);
                    throw new ModelLoadException("model " + key + " could not be loaded: " + e.getMessage(), e);
                }
            }
            return model;
        }

        synchronized boolean loaded() {
            return model != null;
        }
    }
}
