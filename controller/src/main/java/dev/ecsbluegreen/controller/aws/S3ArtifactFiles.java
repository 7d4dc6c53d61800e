package dev.ecsbluegreen.controller.aws;

import dev.ecsbluegreen.controller.ArtifactFiles;
import dev.ecsbluegreen.controller.ConfigurationException;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.aws.AwsCalls;
import dev.ecsbluegreen.core.aws.AwsClients;
import dev.ecsbluegreen.core.codepipeline.JobEvent.Artifact;
import dev.ecsbluegreen.core.codepipeline.JobEvent.Credentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * A job's input artifacts as CodePipeline leaves them: a zip file each in the pipeline's artifact bucket, read with
 * the job's own artifact credentials ({@code GetObject}; SSE-KMS objects decrypt with them too), the zip streamed until
 * the file is found, so that a large artifact is never held whole. Built per job: the credentials are the job's.
 */
public final class S3ArtifactFiles implements ArtifactFiles {
    /** The most of one file read: a task definition is at most 64 KiB. */
    static final int MAX_FILE_BYTES = 256 * 1024;

    private final List<Artifact> artifacts;
    private final S3Client s3;
    private final Deadline deadline;

    S3ArtifactFiles(List<Artifact> artifacts, S3Client s3, Deadline deadline) {
        this.artifacts = List.copyOf(artifacts);
        this.s3 = s3;
        this.deadline = deadline;
    }

    /**
     * The files of {@code artifacts}, read with the job's credentials through an S3 client configured as every client of
     * the project ({@code AWS_ENDPOINT_URL_S3} honoured, path-style then, as an emulator needs).
     */
    public static ArtifactFiles of(List<Artifact> artifacts, Credentials credentials, Deadline deadline) {
        return of(artifacts, credentials, deadline, builder -> builder);
    }

    /**
     * As {@link #of(List, Credentials, Deadline)}, the client's builder passed through {@code configure} last (tests
     * point it at a local endpoint).
     */
    public static ArtifactFiles of(List<Artifact> artifacts, Credentials credentials, Deadline deadline,
                                   java.util.function.UnaryOperator<S3ClientBuilder> configure) {
        if (artifacts.isEmpty()) {
            return ArtifactFiles.NONE;
        }
        if (credentials == null) {
            throw new ConfigurationException("the job has input artifacts but no artifactCredentials to read them with");
        }
        return new S3ArtifactFiles(artifacts, configure.apply(builder(StaticCredentialsProvider.create(
                credentials.sessionToken() == null
                        ? software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create(credentials.accessKeyId(),
                                credentials.secretAccessKey())
                        : AwsSessionCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey(),
                                credentials.sessionToken())))).build(), deadline);
    }

    private static S3ClientBuilder builder(software.amazon.awssdk.auth.credentials.AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = AwsClients.configure(S3Client.builder()).credentialsProvider(credentials);
        String endpoint = System.getenv("AWS_ENDPOINT_URL_S3") != null ? System.getenv("AWS_ENDPOINT_URL_S3")
                : System.getenv("AWS_ENDPOINT_URL");
        if (endpoint != null && !endpoint.isBlank()) {
            builder.forcePathStyle(true);
        }
        return builder;
    }

    /** Reads one file; the client (built with the job's credentials) is closed after it: one file per job. */
    @Override
    public String read(String artifact, String path) {
        try {
            return readOnce(artifact, path);
        } finally {
            s3.close();
        }
    }

    private String readOnce(String artifact, String path) {
        Artifact chosen = choose(artifact);
        String wanted = normalize(path);
        try {
            String text = AwsCalls.call("s3:GetObject", deadline, t -> s3.getObject(b -> b.overrideConfiguration(t)
                    .bucket(chosen.bucket()).key(chosen.key()), (response, stream) -> entry(stream, wanted)));
            if (text == null) {
                throw new ConfigurationException("input artifact " + chosen.name() + " has no file " + path);
            }
            return text;
        } catch (UncheckedIOException e) {
            throw new ConfigurationException("input artifact " + chosen.name() + " is not a zip file CodePipeline wrote ("
                    + e.getCause().getMessage() + ")");
        }
    }

    private Artifact choose(String name) {
        if (name == null) {
            if (artifacts.size() > 1) {
                throw new ConfigurationException("the action has " + artifacts.size() + " input artifacts "
                        + artifacts.stream().map(Artifact::name).toList() + ": name the one with the file, \"artifact\"");
            }
            return artifacts.get(0);
        }
        return artifacts.stream().filter(a -> name.equals(a.name())).findFirst().orElseThrow(() -> new ConfigurationException(
                "the action has no input artifact " + name + " (it has " + artifacts.stream().map(Artifact::name).toList() + ")"));
    }

    /** The file's text, or null when the zip has no such file. */
    private static String entry(InputStream stream, String wanted) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(stream)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                if (!e.isDirectory() && normalize(e.getName()).equals(wanted)) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    byte[] buffer = new byte[8192];
                    for (int n; (n = zip.read(buffer)) > 0; ) {
                        out.write(buffer, 0, n);
                        if (out.size() > MAX_FILE_BYTES) {
                            throw new ConfigurationException("the file " + wanted + " is larger than " + MAX_FILE_BYTES / 1024
                                    + " KiB: not a task definition");
                        }
                    }
                    return out.toString(StandardCharsets.UTF_8);
                }
            }
            return null;
        } catch (java.util.zip.ZipException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String normalize(String path) {
        String p = path.replace('\\', '/');
        while (p.startsWith("./") || p.startsWith("/")) {
            p = p.startsWith("./") ? p.substring(2) : p.substring(1);
        }
        return p;
    }
}
