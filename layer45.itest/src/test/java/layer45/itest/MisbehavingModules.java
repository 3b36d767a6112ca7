package layer45.itest;

import java.io.IOException;
import java.nio.file.Path;

import layer45.api.Customization;

/**
 * A customization jar whose two modules misbehave on purpose once a TCP flow of {@code curl} has received
 * {@value #AFTER_BYTES} bytes, mid-download: {@value #THROWING} throws from its call, {@value #STALLING} (loaded
 * inactive) sleeps in it for {@value #STALL_SECONDS} s, far past any call budget. Built at test time
 * ({@link GeneratedBundle}), since a real build would not ship either; the operator targets them with
 * {@code remote.port=PORT} at insmod.
 */
final class MisbehavingModules {

    static final String THROWING = "throwing-module";
    static final String STALLING = "stalling-module";
    /** What the throwing module's exception says. */
    static final String THROWN = "thrown on purpose mid-download";
    static final int AFTER_BYTES = 1 << 20;
    static final int STALL_SECONDS = 30;

    private MisbehavingModules() {
    }

    /** @return the jar, built in the directory */
    static Path build(Path directory) throws IOException {
        return GeneratedBundle.named("layer45.itest.misbehaving")
                .header("Bundle-Name", "modules that throw or stall mid-download")
                .header("Import-Package", "layer45.api;version=\"[1.0,2)\"")
                .header("Service-Component", "OSGI-INF/" + THROWING + ".xml,OSGI-INF/" + STALLING + ".xml")
                .header("Require-Capability", "osgi.extender;filter:=\"(&(osgi.extender=osgi.component)"
                        + "(version>=1.3.0)(!(version>=2.0.0)))\"")
                .source("l45gen.misbehaving.Throwing", module("Throwing", "throw new IllegalStateException(\""
                        + THROWN + " after \" + received + \" bytes\");"))
                .source("l45gen.misbehaving.Stalling", module("Stalling", "Thread.sleep(" + STALL_SECONDS * 1000
                        + "L);"))
                .resource("OSGI-INF/" + THROWING + ".xml", component(THROWING, "Throwing", true))
                .resource("OSGI-INF/" + STALLING + ".xml", component(STALLING, "Stalling", false))
                .compileAgainst(Customization.class).build(directory);
    }

    /** A module that passes what curl receives until the flow has received enough, then misbehaves. */
    private static String module(String className, String misbehaviour) {
        return """
                package l45gen.misbehaving;
                import layer45.api.*;
                public final class %s implements Customization {
                    public Verdict send(Chunk in, Output out, Flow flow) {
                        return Verdict.NO_CUSTOMIZATION;
                    }
                    public Verdict recv(Chunk in, Output out, Flow flow) {
                        long[] received = flow.state(() -> new long[1]);
                        received[0] += in.remaining();
                        if (received[0] > %d) {
                            try {
                                misbehave(received[0]);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        return Verdict.NO_CUSTOMIZATION;
                    }
                    private static void misbehave(long received) throws InterruptedException {
                        %s
                    }
                }
                """.formatted(className, AFTER_BYTES, misbehaviour);
    }

    private static String component(String name, String className, boolean active) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.3.0" name="%s">
                  <implementation class="l45gen.misbehaving.%s"/>
                  <service><provide interface="layer45.api.Customization"/></service>
                  <property name="layer45.protocol" type="String" value="tcp"/>
                  <property name="layer45.process" type="String" value="curl"/>
                  <property name="layer45.active" type="Boolean" value="%s"/>
                </scr:component>
                """.formatted(name, className, active);
    }
}
