package layer45.bench;

/**
 * The ways from a client program in a network namespace to a server on the host that {@link PeersBenchmark}
 * compares. Each measurement sets its path up afresh ({@link PeerPaths}).
 */
enum PeerPath {
    /** The kernel itself: a veth pair between the namespace and the host; the server binds the host's end. */
    VETH("veth", "kernel veth pair (ceiling)"),
    /** The client's namespace attached to layer45 ({@code exec --join}), no module: every flow tapped. */
    LAYER45("layer45", "layer45, tap only"),
    /**
     * The server too in a namespace of layer45, reached through a port forward: each connection crosses the stack
     * twice, as the original's two machines each ran Layer 4.5. The reference for {@link #LAYER45_TAGS}.
     */
    LAYER45_BOTH("layer45-both", "layer45 at both ends, tap only"),
    /** {@link #LAYER45_BOTH} with the workload's customization pair loaded (the bulk or the DNS tags). */
    LAYER45_TAGS("layer45-tags", "layer45 at both ends, tag pair"),
    /** pasta (passt) runs the client in a namespace of its own; the host's loopback is its gateway address. */
    PASTA("pasta", "pasta"),
    /** slirp4netns on a namespace; the host's loopback is 10.0.2.2. */
    SLIRP("slirp4netns", "slirp4netns");

    final String label;
    final String description;

    PeerPath(String label, String description) {
        this.label = label;
        this.description = description;
    }

    /** @return whether the path goes through the layer45 runtime */
    boolean layer45() {
        return this == LAYER45 || this == LAYER45_BOTH || this == LAYER45_TAGS;
    }

    /** @return whether the server runs in a namespace of layer45 behind a port forward */
    boolean serverInLayer45() {
        return this == LAYER45_BOTH || this == LAYER45_TAGS;
    }

    static PeerPath of(String label) {
        for (PeerPath path : values()) {
            if (path.label.equals(label)) {
                return path;
            }
        }
        throw new IllegalArgumentException("unknown path '" + label
                + "': use veth, layer45, layer45-both, layer45-tags, pasta or slirp4netns");
    }
}
