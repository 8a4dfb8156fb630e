package dev.lectern.bench;

import dev.lectern.bench.batch.BatchSuite;
import dev.lectern.bench.gptoss.GptOssSuite;
import dev.lectern.bench.llamacpp.LlamaCppSuite;
import dev.lectern.bench.llm.LlmSuite;
import dev.lectern.bench.minilm.MiniLmSuite;
import dev.lectern.bench.probe.Probes;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The one benchmark command: {@code bench/run <suite> [--threads 1,2] [--quick]}. Every suite first measures the
 * machine probes in the same process, then its subject, and prints a markdown report (tables with medians and
 * min–max over runs, ratios against the probes) to stdout; progress goes to stderr.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Lectern speed benchmarks. Suites: probes, llm, minilm, batch (multi-sequence decode), gptoss (gpt-oss-20b-shaped MXFP4 decode), llamacpp (llm's shapes, ours against llama.cpp itself in the same run; not part of all: ~15 min), all (probes + llm + minilm), files (only write the model files the suites use).")
public final class Bench implements Callable<Integer> {

    enum Suite { probes, llm, minilm, batch, gptoss, llamacpp, all, files }

    @Parameters(index = "0", description = "Suite to run: ${COMPLETION-CANDIDATES}.")
    Suite suite;

    @Option(names = "--threads", split = ",", defaultValue = "1,2", description = "Thread counts (default: 1,2).")
    List<Integer> threads;

    @Option(names = "--quick", description = "Small shapes and few runs: checks the harness, figures are not meaningful.")
    boolean quick;

    @Option(names = "--dir", description = "Where generated model and probe files are kept and reused (default: ${DEFAULT-VALUE}).")
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "lectern-bench");

    @Option(names = "--report", description = "Also write the markdown report to this file.")
    Path report;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Bench()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        for (int t : threads) {
            if (t < 1) throw new CommandLine.ParameterException(new CommandLine(this), "--threads: " + t + " is not a positive count");
        }
        Files.createDirectories(dir);
        if (suite == Suite.files) {
            for (var shape : LlmSuite.shapes(quick)) Log.info("%s", dev.lectern.bench.llm.SyntheticGguf.ensure(dir, shape));
            Log.info("%s", GptOssSuite.ensureFile(dir, quick));
            return 0;
        }
        StringBuilder md = new StringBuilder();
        String loadBefore = Machine.loadAverage();
        long start = System.nanoTime();
        Log.info("suite %s, threads %s%s; files in %s; load average %s", suite, threads, quick ? ", QUICK" : "", dir, loadBefore);

        try (Probes probes = new Probes(dir, quick)) {
            probes.measure(threads);
            LlmSuite llm = suite == Suite.llm || suite == Suite.all ? LlmSuite.run(dir, threads, quick, probes) : null;
            GptOssSuite gptoss = suite == Suite.gptoss ? GptOssSuite.run(dir, threads, quick, probes) : null;
            BatchSuite batch = suite == Suite.batch ? BatchSuite.run(dir, threads, quick) : null;
            LlamaCppSuite llamacpp = suite == Suite.llamacpp ? LlamaCppSuite.run(dir, threads, quick, probes) : null;
            MiniLmSuite minilm = suite == Suite.minilm || suite == Suite.all ? MiniLmSuite.run(threads, quick) : null;
            report(md, probes, llm, gptoss, batch, llamacpp, minilm, loadBefore, start);
        }
        System.out.print(md);
        if (report != null) Files.writeString(report, md);
        return 0;
    }

    private void report(StringBuilder md, Probes probes, LlmSuite llm, GptOssSuite gptoss, BatchSuite batch, LlamaCppSuite llamacpp, MiniLmSuite minilm,
                        String loadBefore, long start) {
        md.append("### Run of ").append(Instant.now().truncatedTo(ChronoUnit.SECONDS)).append(": suite `").append(suite)
                .append("`").append(quick ? " (**--quick**: reduced shapes and runs, harness check only)" : "").append("\n\n");
        md.append("- Machine: ").append(Machine.summary()).append('\n');
        md.append("- Load average (1/5/15 min) at start: ").append(loadBefore).append("; at end: ").append(Machine.loadAverage()).append('\n');
        md.append(String.format(java.util.Locale.ROOT, "- Wall time: %.0f s%n%n", Harness.secondsSince(start)));
        md.append("Probes (same run):\n\n").append(probes.table()).append('\n');
        if (llm != null) {
            md.append("LLM prefill and decode (random weights, real shapes; median (min–max) over runs; ratios against probe passes run "
                    + "alternately with the measured runs):\n\n").append(llm.table()).append('\n');
            var ref = llm.referenceTable();
            if (!ref.isEmpty()) md.append("Against llama.cpp's figures from inference-peers.md (reference only: not same-run, and taken when the "
                    + "host reported a Zen 3 AVX2 CPU; compare the probe ratios instead, see docs/benchmarks.md):\n\n").append(ref).append('\n');
        }
        if (gptoss != null) {
            md.append("gpt-oss decode: ").append(gptoss.description()).append(":\n\n").append(gptoss.table()).append('\n');
        }
        if (batch != null) {
            md.append("Multi-sequence decode: ").append(batch.description()).append(":\n\n").append(batch.table()).append('\n');
        }
        if (llamacpp != null) {
            md.append("Ours against llama.cpp (java-llama.cpp 4.2.0's bundled build b4916, AVX2 without AVX-512; F32 KV cache) in the same run, "
                    + "runs alternating with each other and with a probe pass; median (min–max) tok/s, ratio of medians:\n\n")
                    .append(llamacpp.table()).append('\n');
            for (String note : llamacpp.notes()) md.append("- ").append(note).append('\n');
            md.append('\n');
        }
        if (minilm != null) {
            md.append("MiniLM (all-MiniLM-L6-v2) sentence embeddings against ONNX Runtime, same run, runs alternating; ")
                    .append(minilm.description()).append("\n\n").append(minilm.table()).append('\n');
        }
    }
}
