package dev.ecsbluegreen.controller.aws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.ecsbluegreen.controller.ArtifactFiles;
import dev.ecsbluegreen.controller.ConfigurationException;
import dev.ecsbluegreen.core.Deadline;
import dev.ecsbluegreen.core.codepipeline.JobEvent.Artifact;
import dev.ecsbluegreen.core.codepipeline.JobEvent.Credentials;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.regions.Region;

/**
 * The job's input artifact read on the wire from a local server standing in for S3: with the job's own artifact
 * credentials (SigV4 with its access key and session token), the zip streamed to the file asked for.
 */
public class S3ArtifactFilesTest {
    static final Credentials JOB = new Credentials("ASIAEXAMPLEEXAMPLE04", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            "IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENdoNotLogMe");
    static final Artifact BUILD = new Artifact("BuildOutput", "codepipeline-us-east-1-123", "release/BuildOutput/abc123");

    HttpServer s3;
    volatile byte[] object;
    final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws IOException {
        s3 = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        s3.createContext("/", exchange -> {
            requests.add(Map.of("path", exchange.getRequestURI().getPath(),
                    "authorization", String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")),
                    "token", String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Security-Token"))));
            exchange.getResponseHeaders().add("Content-Type", "application/zip");
            exchange.sendResponseHeaders(200, object.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(object);
            }
        });
        s3.start();
    }

    @AfterEach
    void tearDown() {
        s3.stop(0);
    }

    public static byte[] zip(Map<String, String> files) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(f.getKey()));
                zip.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    ArtifactFiles files(List<Artifact> artifacts) {
        URI endpoint = URI.create("http://127.0.0.1:" + s3.getAddress().getPort());
        return S3ArtifactFiles.of(artifacts, JOB, Deadline.after(Duration.ofSeconds(20)),
                b -> b.endpointOverride(endpoint).forcePathStyle(true).region(Region.US_EAST_1));
    }

    @Test
    void theFileIsReadFromTheArtifactsZipWithTheJobsOwnCredentials() throws IOException {
        object = zip(Map.of("README.md", "# app", "deploy/taskdef.json", "{\"family\": \"app\"}"));

        assertEquals("{\"family\": \"app\"}", files(List.of(BUILD)).read(null, "./deploy/taskdef.json"));

        Map<String, String> get = requests.get(0);
        assertEquals("/codepipeline-us-east-1-123/release/BuildOutput/abc123", get.get("path"));
        assertTrue(get.get("authorization").startsWith("AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEEXAMPLE04/"), get.get("authorization"));
        assertTrue(get.get("authorization").contains("/us-east-1/s3/aws4_request"), get.get("authorization"));
        assertEquals(JOB.sessionToken(), get.get("token"));
        assertTrue(!JOB.toString().contains(JOB.secretAccessKey()) && !JOB.toString().contains(JOB.sessionToken()),
                "credentials never print: " + JOB);
    }

    @Test
    void whatCannotBeReadSaysWhichArtifactAndFile() throws IOException {
        object = zip(Map.of("taskdef.json", "{}"));
        Artifact source = new Artifact("SourceOutput", "bucket", "release/SourceOutput/def456");

        assertMessage("has no file appspec.yaml", () -> files(List.of(BUILD)).read(null, "appspec.yaml"));
        assertMessage("has 2 input artifacts [BuildOutput, SourceOutput]: name the one", () -> files(List.of(BUILD, source))
                .read(null, "taskdef.json"));
        assertMessage("no input artifact Image (it has [BuildOutput])", () -> files(List.of(BUILD)).read("Image", "taskdef.json"));
        assertMessage("the action has none", () -> S3ArtifactFiles.of(List.of(), JOB, Deadline.after(Duration.ofSeconds(5)))
                .read(null, "taskdef.json"));
        object = "not a zip".getBytes(StandardCharsets.UTF_8);
        assertMessage("has no file taskdef.json", () -> files(List.of(BUILD)).read(null, "taskdef.json"));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
        ConfigurationException e = assertThrows(ConfigurationException.class, call);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
