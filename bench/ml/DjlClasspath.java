/*
 * Prints the class path a notebook gets from
 *   %maven ai.djl:api:0.36.0 ai.djl.pytorch:pytorch-engine:0.36.0 ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0 \
 *          ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64
 * (the same resolver and the same embedded listener jar), for bench/ml/run.sh. Single-file program:
 *   java -cp kernel/target/research-kernel.jar bench/ml/DjlClasspath.java WORK_DIR
 */
import dev.researchmon.ml.maven.ArtifactResolver;
import dev.researchmon.ml.maven.DjlListenerJar;
import dev.researchmon.ml.maven.MavenCoordinates;
import dev.researchmon.ml.maven.ResolvedJar;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

public class DjlClasspath {
    public static void main(String[] args) throws Exception {
        List<MavenCoordinates> djl = List.of(
                MavenCoordinates.parse("ai.djl:api:0.36.0"),
                MavenCoordinates.parse("ai.djl.pytorch:pytorch-engine:0.36.0"),
                MavenCoordinates.parse("ai.djl.pytorch:pytorch-jni:2.7.1-0.36.0"),
                MavenCoordinates.parse("ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64"));
        List<String> entries = new ArrayList<>();
        for (ResolvedJar jar : ArtifactResolver.mavenCentral().resolve(djl)) {
            entries.add(jar.path().toString());
        }
        entries.add(DjlListenerJar.extractTo(Path.of(args[0])).toString());
        System.out.println(String.join(File.pathSeparator, entries));
    }
}
