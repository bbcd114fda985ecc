package org.idbroker.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.idbroker.it.support.TestingBroker;
import org.idbroker.it.support.TestingBroker.CliResult;
import org.idbroker.server.config.ConfigFile;
import org.junit.jupiter.api.Test;

/**
 * The published JSON Schema of the configuration file ({@code docs/idbroker-config.schema.json}) stays
 * true: the README's example and a real export validate against it, a field the broker does not read
 * fails it, and it describes exactly the fields the broker reads.
 */
class ConfigSchemaTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path SCHEMA = Path.of("..", "docs", "idbroker-config.schema.json");
    /** Where each kind of mapping the reader knows is described in the schema. */
    private static final Map<String, String> PLACES = Map.of("top", "/properties", "provider", "/$defs/provider/properties",
            "user", "/$defs/user/properties", "team", "/$defs/team/properties",
            "externalGroup", "/$defs/externalGroup/properties", "client", "/$defs/client/properties",
            "sessions", "/$defs/sessions/properties", "secret", "/$defs/secret/properties");

    @Test
    void theReadmeExampleValidates() throws Exception {
        assertThat(errors(YAML.readTree(ConfigurationAsCodeTest.readmeExample()))).isEmpty();
    }

    @Test
    void aFieldTheBrokerDoesNotReadFailsTheSchemaAsItFailsApply() throws Exception {
        ObjectNode example = (ObjectNode) YAML.readTree(ConfigurationAsCodeTest.readmeExample());
        ((ObjectNode) example.get("teams").get("Testers")).put("colour", "blue");
        ((ObjectNode) example.get("clients").get("grafana")).put("secret", "a value, not a reference");

        assertThat(errors(example)).extracting(Error::toString).anySatisfy(e -> assertThat(e).contains("colour"))
                .anySatisfy(e -> assertThat(e).contains("/clients/grafana/secret"));
    }

    @Test
    void anExportOfABrokerWithEverySectionValidates() throws Exception {
        try (TestingBroker broker = TestingBroker.start()) {
            String example = ConfigurationAsCodeTest.readmeExample()
                    .replace("env: IDBROKER_SECRET_GENERICOIDC_CLIENT_SECRET", "file: " + org.idbroker.testkit.TestingBroker.writeTemp("s"))
                    .replace("env: IDBROKER_SECRET_CLIENT_GRAFANA", "file: "
                            + org.idbroker.testkit.TestingBroker.writeTemp("grafana-secret-0123456789-abcdefghij"));
            CliResult applied = broker.cli("apply", org.idbroker.testkit.TestingBroker.writeTemp(example).toString());
            assertThat(applied.exitCode()).as(applied.err()).isZero();

            CliResult exported = broker.cli("export");

            assertThat(exported.exitCode()).as(exported.err()).isZero();
            JsonNode tree = YAML.readTree(exported.out());
            assertThat(tree.fieldNames()).toIterable().containsExactly("version", "providers", "users", "teams", "clients", "sessions");
            assertThat(errors(tree)).isEmpty();
        }
    }

    @Test
    void theSchemaDescribesExactlyTheFieldsTheBrokerReads() throws Exception {
        JsonNode schema = new com.fasterxml.jackson.databind.ObjectMapper().readTree(SCHEMA.toFile());
        Map<String, Set<String>> described = new HashMap<>();
        PLACES.forEach((kind, pointer) -> {
            JsonNode properties = schema.at(pointer);
            assertThat(properties.isObject()).as(pointer).isTrue();
            described.put(kind, new TreeSet<>(List.copyOf(iterable(properties))));
        });
        assertThat(PLACES.keySet()).isEqualTo(ConfigFile.FIELDS.keySet());
        ConfigFile.FIELDS.forEach((kind, fields) -> assertThat(described.get(kind)).as(kind).isEqualTo(new TreeSet<>(fields)));
        assertThat(schema.get("$schema").asText()).isEqualTo("https://json-schema.org/draft/2020-12/schema");
    }

    private static List<String> iterable(JsonNode properties) {
        List<String> names = new java.util.ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<Error> errors(JsonNode document) throws Exception {
        Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(Files.newInputStream(SCHEMA));
        return schema.validate(document);
    }
}
