package io.connectionmanager.autoconfigure.reference;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code docs/reference.md} is what the configuration metadata says now: a new key, a
 * changed default or description fails this test until the file is regenerated
 * ({@code -Dreference.update=true} writes it). The reference is also written to
 * {@code target/reference.md} on every run.
 */
class ReferenceDocumentationTests {

	private static final Path GENERATED = Path.of("target/classes/META-INF/spring-configuration-metadata.json");

	private static final Path ADDITIONAL = Path
		.of("src/main/resources/META-INF/additional-spring-configuration-metadata.json");

	/** The module runs its tests in its own directory; the docs are the project's. */
	private static final Path COMMITTED = Path.of("..", "docs", "reference.md");

	private static ReferenceDocumentation reference;

	private static String rendered;

	@BeforeAll
	static void render() throws IOException {
		reference = ReferenceDocumentation.read(GENERATED, ADDITIONAL);
		rendered = reference.render();
		Files.writeString(Path.of("target", "reference.md"), rendered, StandardCharsets.UTF_8);
		if (Boolean.getBoolean("reference.update")) {
			Files.writeString(COMMITTED, rendered, StandardCharsets.UTF_8);
		}
	}

	@Test
	void committedReferenceIsUpToDate() throws IOException {
		String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED, StandardCharsets.UTF_8) : "";
		assertThat(committed)
			.as("docs/reference.md is stale: the configuration metadata changed (a key, type, default or description)."
					+ " Regenerate it with%n  %s%nand commit it (target/reference.md has the new text)",
					ReferenceDocumentation.REGENERATE)
			.isEqualTo(rendered);
	}

	@Test
	void everyKeyIsListedOnceWithItsDescription() {
		assertThat(reference.propertyNames()).contains("connection-manager.enabled", "connection-manager.defaults.url",
				"connection-manager.runtime.threads", "management.endpoint.connections.access");
		List<String> rows = rendered.lines().filter((line) -> line.startsWith("| `")).toList();
		for (String name : reference.propertyNames()) {
			if (name.equals(ReferenceDocumentation.CONNECTIONS)) {
				assertThat(rendered).contains("`" + name + "`: Connections by name.");
				continue;
			}
			String key = name.startsWith(ReferenceDocumentation.DEFAULTS)
					? name.substring(ReferenceDocumentation.DEFAULTS.length()) : name;
			assertThat(rows).as(name).filteredOn((row) -> row.startsWith("| `" + key + "` |")).singleElement();
		}
	}

	@Test
	void rowsCarryTypeDefaultValuesAndPlainDescriptions() {
		assertThat(rendered)
			.contains(
					"| `reconnect.jitter` | `spread` \\| `full` \\| `equal` \\| `decorrelated` \\| `none` | `spread` |")
			.contains("| `heartbeat.interval` | `Duration` | `15s` |")
			.contains("| `headers` | `Map<String, String>` |")
			.contains("| `failure.fatal-http-statuses` | `Set<Integer>` | `401, 403` |")
			.contains("`connection-manager.connections.<name>.<key>`")
			.doesNotContain("{@code");
	}

}
