package dev.ecsbluegreen.swap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ecsbluegreen.core.Json;
import dev.ecsbluegreen.core.codepipeline.JobEvent;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The swap's parsers on generated malformed input: the job event and UserParameters either parse or fail with the
 * error the handler reports (a {@link SwapException} naming what to fix, or {@link JobEvent.Unreportable} when
 * there is no job id to report to) — never another exception type.
 */
class ParserPropertiesTest {
    private static final ObjectMapper MAPPER = Json.newMapper();

    @Property(tries = 500)
    void userParametersParseOrSayWhatToFix(@ForAll("userParameters") String text) {
        try {
            SwapRequest request = SwapRequest.parse(text, MAPPER, name -> null);
            assertNotNull(request.loadBalancer());
        } catch (SwapException e) {
            assertEquals(FailureType.ConfigurationError, e.type());
            assertFalse(e.getMessage().isBlank());
        }
    }

    @Property(tries = 500)
    void jobEventsParseOrAreUnreportable(@ForAll("events") String text) {
        try {
            JobEvent event = JobEvent.parse(text.getBytes(StandardCharsets.UTF_8), MAPPER);
            assertNotNull(event.jobId());
        } catch (JobEvent.Unreportable e) {
            assertFalse(e.getMessage().isBlank());
        }
    }

    @Provide
    Arbitrary<String> userParameters() {
        Arbitrary<String> value = json(3);
        Arbitrary<String> keys = Arbitraries.of("ElbName", "loadBalancer", "liveListener", "testListener", "targetGroups",
                "requireHealthyGreen", "strategy", "");
        Arbitrary<String> object = Arbitraries.maps(keys, value).ofMaxSize(5).map(ParserPropertiesTest::object);
        return Arbitraries.oneOf(object, value, Arbitraries.strings().ofMaxLength(80),
                object.map(o -> o.substring(0, Math.max(0, o.length() - 1))));
    }

    @Provide
    Arbitrary<String> events() {
        Arbitrary<String> configuration = Arbitraries.maps(Arbitraries.of("FunctionName", "UserParameters"), json(2))
                .ofMaxSize(2).map(ParserPropertiesTest::object);
        Arbitrary<String> data = Arbitraries.maps(Arbitraries.of("actionConfiguration", "continuationToken",
                "artifactCredentials"), Arbitraries.oneOf(configuration.map(c -> "{\"configuration\": " + c + "}"),
                json(2))).ofMaxSize(3).map(ParserPropertiesTest::object);
        Arbitrary<String> job = Arbitraries.maps(Arbitraries.of("id", "accountId", "data"),
                Arbitraries.oneOf(data, json(2))).ofMaxSize(3).map(ParserPropertiesTest::object);
        Arbitrary<String> envelope = Arbitraries.maps(Arbitraries.of("CodePipeline.job", "DeploymentId", "x"),
                Arbitraries.oneOf(job, json(2))).ofMaxSize(2).map(ParserPropertiesTest::object);
        return Arbitraries.oneOf(envelope, json(3), Arbitraries.strings().ofMaxLength(60),
                envelope.map(e -> e.substring(0, e.length() / 2)));
    }

    /** Any JSON value, nested up to {@code depth}: numbers too large for an int, unicode, nulls, wrong types. */
    private static Arbitrary<String> json(int depth) {
        Arbitrary<String> scalar = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(40).map(ParserPropertiesTest::quote),
                Arbitraries.of("app-alb", "80", "443", "8080", "arn:aws:elasticloadbalancing:us-east-1:123456789012:"
                        + "loadbalancer/app/app-alb/50dc6c495c0c9188", "\u00e9\u4e2d\ud83d\ude00").map(ParserPropertiesTest::quote),
                Arbitraries.of("0", "-1", "65536", "443", "1e400", "99999999999999999999", "3.5", "true", "false", "null"));
        if (depth == 0) {
            return scalar;
        }
        return Arbitraries.oneOf(scalar,
                json(depth - 1).list().ofMaxSize(3).map(items -> "[" + String.join(", ", items) + "]"),
                Arbitraries.maps(Arbitraries.strings().alpha().ofMaxLength(8), json(depth - 1)).ofMaxSize(3)
                        .map(ParserPropertiesTest::object));
    }

    private static String object(java.util.Map<String, String> fields) {
        StringBuilder out = new StringBuilder("{");
        fields.forEach((k, v) -> out.append(out.length() > 1 ? ", " : "").append(quote(k)).append(": ").append(v));
        return out.append("}").toString();
    }

    private static String quote(String s) {
        try {
            return MAPPER.writeValueAsString(s);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
