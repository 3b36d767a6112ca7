package layer45.runtime;

import java.util.concurrent.atomic.AtomicInteger;

import layer45.api.Chunk;
import layer45.api.Customization;
import layer45.api.Flow;
import layer45.api.Output;
import layer45.api.Verdict;

/** A customization whose two paths are given as lambdas, counting its calls: the unit tests' module. */
final class ScriptedModule implements Customization {

    /** One path of a module. */
    @FunctionalInterface
    interface Path {
        Verdict apply(Chunk source, Output output, Flow flow);
    }

    static final Path NO_CUSTOMIZATION = (in, out, flow) -> Verdict.NO_CUSTOMIZATION;
    static final Path TRY_NEXT = (in, out, flow) -> Verdict.TRY_NEXT;

    final AtomicInteger sendCalls = new AtomicInteger();
    final AtomicInteger recvCalls = new AtomicInteger();
    private final Path send;
    private final Path recv;

    ScriptedModule(Path send, Path recv) {
        this.send = send;
        this.recv = recv;
    }

    /** @return a module that prefixes what is sent with {@code tag} and leaves receiving alone */
    static ScriptedModule tagging(String tag) {
        byte[] bytes = tag.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return new ScriptedModule((in, out, flow) -> {
            out.write(bytes);
            out.transferFrom(in, in.remaining());
            return Verdict.DELIVER;
        }, NO_CUSTOMIZATION);
    }

    /** @return a module answering the same verdict on both paths, writing nothing */
    static ScriptedModule answering(Verdict verdict) {
        Path path = (in, out, flow) -> verdict;
        return new ScriptedModule(path, path);
    }

    @Override
    public Verdict send(Chunk source, Output output, Flow flow) {
        sendCalls.incrementAndGet();
        return send.apply(source, output, flow);
    }

    @Override
    public Verdict recv(Chunk source, Output output, Flow flow) {
        recvCalls.incrementAndGet();
        return recv.apply(source, output, flow);
    }

    int calls() {
        return sendCalls.get() + recvCalls.get();
    }
}
