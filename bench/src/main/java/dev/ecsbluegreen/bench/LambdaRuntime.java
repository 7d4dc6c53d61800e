package dev.ecsbluegreen.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The managed java21 runtime's own part of a function JVM, as {@code /var/runtime/lib} holds it: the Lambda Java
 * runtime interface client (RIC) with its runtime dependencies, and its JNI library extracted from the RIC's
 * platform jar (the managed runtime points the RIC at an extracted copy instead of letting it copy one to a fixed
 * path in {@code /tmp} on every start).
 *
 * @param classPath  in the managed runtime's order: aws-lambda-java-core, the RIC, aws-lambda-java-serialization,
 *                   then the rest
 * @param jniLibrary the extracted {@code libaws-lambda-jni.<platform>.so}
 * @param version    e.g. {@code 2.9.0 linux-x86_64}, from the RIC jar's name
 */
record LambdaRuntime(List<Path> classPath, Path jniLibrary, String version) {
    static final String MAIN_CLASS = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";
    private static final String RIC = "aws-lambda-java-runtime-interface-client-";
    private static final List<String> ORDER = List.of("aws-lambda-java-core-", RIC, "aws-lambda-java-serialization-");

    LambdaRuntime {
        classPath = List.copyOf(classPath);
    }

    /**
     * @param jars    the folder the bench module's build copies the runtime into ({@code bench/target/lambda-runtime})
     * @param workDir where the JNI library is extracted to
     * @throws IllegalStateException when the folder does not hold the RIC (the module is not built)
     */
    static LambdaRuntime in(Path jars, Path workDir) {
        List<Path> found;
        try (Stream<Path> files = Files.list(jars)) {
            found = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("no Lambda runtime in " + jars + ": build the bench module first "
                    + "(bench/run does; or ./mvnw -DskipTests package)", e);
        }
        Path ric = found.stream().filter(f -> f.getFileName().toString().startsWith(RIC)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + RIC + "*.jar in " + jars
                        + ": build the bench module first (bench/run does; or ./mvnw -DskipTests package)"));
        List<Path> ordered = new ArrayList<>(found);
        ordered.sort(Comparator.comparingInt(LambdaRuntime::rank));
        String name = ric.getFileName().toString();
        String version = name.substring(RIC.length(), name.length() - ".jar".length()).replaceFirst("-", " ");
        return new LambdaRuntime(ordered, extractJni(ric, workDir.resolve("jni")), version);
    }

    private static int rank(Path jar) {
        String name = jar.getFileName().toString();
        for (int i = 0; i < ORDER.size(); i++) {
            if (name.startsWith(ORDER.get(i))) {
                return i;
            }
        }
        return ORDER.size();
    }

    private static Path extractJni(Path ricJar, Path dir) {
        try (ZipFile zip = new ZipFile(ricJar.toFile())) {
            ZipEntry library = zip.stream()
                    .filter(e -> e.getName().startsWith("jni/") && e.getName().endsWith(".so"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException(ricJar + " holds no jni/*.so: use the RIC jar with "
                            + "a platform classifier (linux-x86_64, linux-aarch_64)"));
            Files.createDirectories(dir);
            Path target = dir.resolve(library.getName().substring("jni/".length()));
            try (InputStream in = zip.getInputStream(library)) {
                Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("could not extract the RIC's JNI library from " + ricJar, e);
        }
    }
}
