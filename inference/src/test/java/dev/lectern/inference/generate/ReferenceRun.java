package dev.lectern.inference.generate;

import dev.lectern.inference.model.DecoderModel;
import dev.lectern.inference.sampling.Sampler;
import dev.lectern.inference.tensor.Parallel;

/**
 * Replays a reference through a session, teacher-forced with the reference's own ids, and records what the
 * engine computed at every step: the logits of the reference's top-5 ids, our argmax, and step 0's full logits.
 */
final class ReferenceRun {
    final Reference ref;
    final int[] argmax;
    final float[][] logitsOfTop;
    final float[] fullLogits0;

    ReferenceRun(DecoderModel model, Reference ref, Parallel parallel) {
        this.ref = ref;
        int steps = ref.ids().length;
        argmax = new int[steps];
        logitsOfTop = new float[steps][];
        Session s = new Session(model, Math.min(256, model.config().contextLength()), parallel);
        float[] logits = s.prefill(ref.promptIds());
        fullLogits0 = logits.clone();
        for (int i = 0; i < steps; i++) {
            argmax[i] = Sampler.argmax(logits);
            logitsOfTop[i] = new float[ref.topIds()[i].length];
            for (int j = 0; j < logitsOfTop[i].length; j++) logitsOfTop[i][j] = logits[ref.topIds()[i][j]];
            if (i + 1 < steps) logits = s.decode(ref.ids()[i]);
        }
    }

    /** Largest |ours − reference| / max(1, |reference|) over step 0's full logits. */
    double maxRelativeErrorStep0() {
        double worst = 0;
        for (int j = 0; j < fullLogits0.length; j++) {
            worst = Math.max(worst, Math.abs(fullLogits0[j] - ref.fullLogits0()[j]) / Math.max(1.0, Math.abs(ref.fullLogits0()[j])));
        }
        return worst;
    }

    /** Largest |ours − reference| over the top-5 logits of every step. */
    double maxAbsErrorTop() {
        double worst = 0;
        for (int i = 0; i < logitsOfTop.length; i++) {
            for (int j = 0; j < logitsOfTop[i].length; j++) {
                worst = Math.max(worst, Math.abs(logitsOfTop[i][j] - ref.topLogits()[i][j]));
            }
        }
        return worst;
    }

    /** First step whose argmax differs from the reference's id, or -1. */
    int firstIdMismatch() {
        for (int i = 0; i < argmax.length; i++) if (argmax[i] != ref.ids()[i]) return i;
        return -1;
    }

    String summary() {
        return String.format("%s: step0 rel err %.3g, top-5 abs err %.3g, first id mismatch %d",
                ref.name(), ref.fullLogits0() == null ? Double.NaN : maxRelativeErrorStep0(), maxAbsErrorTop(), firstIdMismatch());
    }
}
