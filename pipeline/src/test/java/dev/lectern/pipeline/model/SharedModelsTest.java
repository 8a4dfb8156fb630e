package dev.lectern.pipeline.model;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedModelsTest {

    @Test
    void oneLoadPerKeySharedByEveryThread() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        String key = SharedModels.keyFor(ModelSpec.of(java.nio.file.Path.of("/models/a.gguf")), "abc");
        Callable<Object> loader = () -> {
            loads.incrementAndGet();
            Thread.sleep(50);
            return new Object();
        };
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Object>> got = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                got.add(pool.submit(() -> SharedModels.get(key, Object.class, loader)));
            }
            Object first = got.getFirst().get();
            for (Future<Object> f : got) {
                assertSame(first, f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, loads.get());
        assertTrue(SharedModels.isLoaded(key));
        SharedModels.release(key);
        assertTrue(!SharedModels.isLoaded(key));
    }

    @Test
    void aFailedLoadIsReportedAndNotRemembered() {
        String key = "failing#1";
        ModelLoadException e = assertThrows(ModelLoadException.class,
                () -> SharedModels.get(key, Object.class, () -> {
                    throw new java.io.IOException("bad magic");
                }));
        assertTrue(e.getMessage().contains("bad magic"), e.getMessage());
        assertEquals("ok", SharedModels.get(key, String.class, () -> "ok"));
        SharedModels.release(key);
    }
}
