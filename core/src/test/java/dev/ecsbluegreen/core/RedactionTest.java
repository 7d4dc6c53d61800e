package dev.ecsbluegreen.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class RedactionTest {
    @Test
    void hidesTheUserInfoOfAUrl() {
        assertEquals("https://***@shop.example.com:8443/health",
                Redaction.url("https://deployer:s3cret@shop.example.com:8443/health"));
        assertEquals("http://***@localhost/", Redaction.url("http://only-a-token@localhost/"));
    }

    @Test
    void hidesTheValuesOfSecretQueryParametersAndKeepsTheOthers() {
        assertEquals("/health?token=***&deep=1&access_token=***&sig=***&X-Amz-Signature=***&key=***&password=***",
                Redaction.url("/health?token=t1&deep=1&access_token=a1&sig=s1&X-Amz-Signature=abc&key=k1&password=p1"));
        assertEquals("https://h/cb#access_token=***&state=7", Redaction.url("https://h/cb#access_token=xyz&state=7"));
    }

    @Test
    void hidesSecretHeadersByName() {
        for (String name : new String[] {"Authorization", "Proxy-Authorization", "Cookie", "X-Api-Key", "X-Auth-Token",
                "client_secret", "DB-Password", "x-amz-security-token"}) {
            assertTrue(Redaction.isSecretName(name), name);
            assertEquals(Redaction.MASK, Redaction.header(name, "v"), name);
        }
        for (String name : new String[] {"Content-Type", "Accept", "X-Request-Id", "Host"}) {
            assertFalse(Redaction.isSecretName(name), name);
            assertEquals("v", Redaction.header(name, "v"), name);
        }
    }

    @Test
    void hidesWhatAMessageQuotes() {
        assertEquals("redirect (302) to another host refused: http://***@evil.example/c?sig=***",
                Redaction.text("redirect (302) to another host refused: http://u:p@evil.example/c?sig=zzz"));
        assertEquals("request failed with Authorization: ***", Redaction.text("request failed with Authorization: Bearer abc"));
        assertEquals("check 'health': status 503, expected 2xx; failed all 3 attempts",
                Redaction.text("check 'health': status 503, expected 2xx; failed all 3 attempts"));
    }

    @Test
    void leavesIdsAlone() {
        // CodeDeploy's execution ids are base64 with padding; one holding "key" is still not a key=value
        String id = "eyJlbmNyeXB0ZWREYXRhIjoiVm1sNE5VSkRNR2RMVldOc1NHUnpSRnBsWVdKMmIzWjZSM0o0VDNOdU1UaEtObEZYVlV4dlQzkeyQ==";
        assertEquals(id, Redaction.text(id));
        assertEquals("d-4B7XWQ2KP", Redaction.text("d-4B7XWQ2KP"));
    }

    @Test
    void hidesAHeaderQuotedAfterAUrlInTheSameMessage() {
        // the property below shrank to this: the URL's "https:" once swallowed the rest of the line as a header value
        assertEquals("failed: https://***@green.example.com/p?x=1&token=*** (token: ***)",
                Redaction.text("failed: https://user:S3crA@green.example.com/p?x=1&token=S3crA (token: S3crA)"));
    }

    @Property
    void noSecretValueSurvivesInAUrlOrAMessage(@ForAll @AlphaChars @NumericChars @StringLength(min = 1, max = 40) String random,
                                               @ForAll("secretNames") String name) {
        String secret = "S3cr" + random; // a prefix that nothing else in the text has
        String url = "https://user:" + secret + "@green.example.com/p?x=1&" + name + "=" + secret;
        assertFalse(Redaction.url(url).contains(secret), Redaction.url(url));
        assertFalse(Redaction.text("failed: " + url + " (" + name + ": " + secret + ")").contains(secret));
        assertFalse(Redaction.header(name, secret).contains(secret));
    }

    @net.jqwik.api.Provide
    net.jqwik.api.Arbitrary<String> secretNames() {
        return net.jqwik.api.Arbitraries.of("token", "access_token", "sig", "signature", "X-Amz-Signature", "key",
                "api_key", "password", "client_secret", "Authorization", "X-Api-Key", "Cookie", "refresh_token");
    }
}
