package layer45.runtime.deploy;

import java.nio.file.Path;
import java.util.List;

import layer45.api.runtime.DeploymentDTO;
import layer45.api.runtime.DeploymentState;

import org.osgi.framework.Bundle;

/** One jar the runtime loaded, is loading, drains or refused. Written by the deployer thread only. */
final class Deployment {

    final Path source;
    final Origin origin;
    final JarFacts facts;
    final Bundle bundle;
    final long time = System.currentTimeMillis();
    volatile DeploymentState state;
    volatile String reason = "";
    volatile long drainingSince;

    Deployment(Path source, Origin origin, JarFacts facts, Bundle bundle, DeploymentState state) {
        this.source = source;
        this.origin = origin;
        this.facts = facts;
        this.bundle = bundle;
        this.state = state;
    }

    /** A jar refused before or after installing: there is no bundle left. */
    static Deployment refused(Path source, Origin origin, JarFacts facts, String reason) {
        Deployment refused = new Deployment(source, origin, facts, null, DeploymentState.REFUSED);
        refused.reason = reason;
        return refused;
    }

    long bundleId() {
        return bundle == null ? -1 : bundle.getBundleId();
    }

    DeploymentDTO toDTO(List<String> modules) {
        DeploymentDTO dto = new DeploymentDTO();
        dto.source = source.toString();
        dto.origin = origin.label();
        dto.state = state;
        dto.reason = reason;
        dto.bundleId = bundleId();
        dto.symbolicName = facts == null ? "" : facts.symbolicName();
        dto.version = facts == null ? "" : facts.version();
        dto.size = facts == null ? sizeOnDisk() : facts.size();
        dto.sha256 = facts == null ? "" : facts.sha256();
        dto.apiRange = facts == null ? "" : facts.apiRange();
        dto.modules = modules.toArray(String[]::new);
        dto.time = time;
        return dto;
    }

    private long sizeOnDisk() {
        try {
            return java.nio.file.Files.size(source);
        } catch (java.io.IOException e) {
            return -1;
        }
    }
}
