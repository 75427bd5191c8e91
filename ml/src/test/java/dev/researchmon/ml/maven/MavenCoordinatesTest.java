package dev.researchmon.ml.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MavenCoordinatesTest {
    @Test
    void parse_threeParts_isGroupArtifactVersion() {
        MavenCoordinates c = MavenCoordinates.parse("ai.djl:api:0.36.0");
        assertEquals(new MavenCoordinates("ai.djl", "api", "0.36.0", ""), c);
        assertEquals("ai.djl:api", c.versionlessKey());
    }

    @Test
    void parse_fourthPart_isTheClassifier() {
        MavenCoordinates c = MavenCoordinates.parse("ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64");
        assertEquals("linux-x86_64", c.classifier());
        assertEquals("ai.djl.pytorch:pytorch-native-cpu:2.7.1:linux-x86_64", c.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"ai.djl:api", "a:b:c:d:e", "ai.djl::0.36.0", "ai.djl:api:", "ai djl:api:1", "a:b:1;rm"})
    void parse_malformed_namesTheCoordinateAndTheExpectedForm(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MavenCoordinates.parse(text));
        assertTrue(e.getMessage().startsWith("bad Maven coordinate '" + text + "'"), e.getMessage());
    }
}
