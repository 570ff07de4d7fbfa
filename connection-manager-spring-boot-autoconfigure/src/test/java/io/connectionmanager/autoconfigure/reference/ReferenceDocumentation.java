package io.connectionmanager.autoconfigure.reference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;

/**
 * Writes {@code docs/reference.md}: every property with its type, default and
 * description, from the configuration metadata that Spring Boot's configuration processor
 * generates ({@code spring-configuration-metadata.json}) with the hand-written
 * {@code additional-spring-configuration-metadata.json} merged over it (the processor
 * merges it too; merging again keeps the reference right after an IDE build that skipped
 * the processor).
 */
final class ReferenceDocumentation {

	static final String PREFIX = "connection-manager.";

	static final String DEFAULTS = PREFIX + "defaults.";

	static final String CONNECTIONS = PREFIX + "connections";

	/** The command that regenerates the committed file. */
	static final String REGENERATE = "./mvnw -pl connection-manager-spring-boot-autoconfigure -am test"
			+ " -Dtest=ReferenceDocumentationTests -Dsurefire.failIfNoSpecifiedTests=false -Dreference.update=true";

	private static final Pattern JAVADOC_CODE = Pattern.compile("\\{@(?:code|literal) ([^}]*)}");

	private static final Pattern JAVADOC_LINK = Pattern.compile("\\{@link(?:plain)? ([^}]*)}");

	private final Map<String, Map<String, Object>> properties;

	private final Map<String, List<Map<String, Object>>> hints;

	private ReferenceDocumentation(Map<String, Map<String, Object>> properties,
			Map<String, List<Map<String, Object>>> hints) {
		this.properties = properties;
		this.hints = hints;
	}

	/**
	 * Reads the generated metadata, then merges the additional metadata over it, property
	 * by property and attribute by attribute.
	 */
	static ReferenceDocumentation read(Path generated, Path additional) throws IOException {
		Map<String, Map<String, Object>> properties = new TreeMap<>();
		Map<String, List<Map<String, Object>>> hints = new TreeMap<>();
		for (Path source : List.of(generated, additional)) {
			if (!Files.exists(source)) {
				continue;
			}
			try (InputStream json = Files.newInputStream(source)) {
				Object document = JsonPath.parse(json).json();
				for (Map<String, Object> property : list(document, "$.properties[*]")) {
					properties.computeIfAbsent((String) property.get("name"), (name) -> new LinkedHashMap<>())
						.putAll(property);
				}
				for (Map<String, Object> hint : list(document, "$.hints[*]")) {
					hints.put((String) hint.get("name"), values(hint));
				}
			}
		}
		properties.keySet().removeIf((name) -> !isOurs(name));
		return new ReferenceDocumentation(properties, hints);
	}

	/** Ours: {@code connection-manager.*}, and the actuator's keys for our endpoint. */
	private static boolean isOurs(String name) {
		return name.startsWith(PREFIX) || name.startsWith("management.endpoint.connections.");
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> list(Object document, String path) {
		return (List<Map<String, Object>>) (List<?>) JsonPath.read(document, path);
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> values(Map<String, Object> hint) {
		Object values = hint.get("values");
		return (values instanceof List<?> list) ? (List<Map<String, Object>>) list : List.of();
	}

	/** Every property name, as in the metadata. */
	Collection<String> propertyNames() {
		return this.properties.keySet();
	}

	String render() {
		StringBuilder md = new StringBuilder();
		md.append("# Configuration reference\n\n");
		md.append("<!-- Generated from the configuration metadata by ReferenceDocumentation (autoconfigure tests). ")
			.append("Do not edit: regenerate with\n     ")
			.append(REGENERATE)
			.append(" -->\n\n");
		md.append("Every key of `connection-manager.*`, generated from the configuration metadata that IDEs read ")
			.append("(`META-INF/spring-configuration-metadata.json` of the autoconfigure jar). Durations take ")
			.append("`ms`, `s`, `m`, `h`, `d` suffixes (`500ms`, `30s`), sizes `B`, `KB`, `MB` (`64KB`). ")
			.append("Bad values stop start-up with a message naming the full key.\n\n");
		md.append("## Per connection\n\n");
		md.append("`").append(CONNECTIONS).append("`: ").append(text(this.properties.get(CONNECTIONS))).append("\n\n");
		md.append("Each key below can be set for one connection, as `connection-manager.connections.<name>.<key>`, ")
			.append("or for all of them, as `connection-manager.defaults.<key>`: a connection's own value wins, ")
			.append("then the defaults, then the built-in default shown here.\n\n");
		table(md, "`<key>`", filter(DEFAULTS, true), DEFAULTS.length());
		md.append("\n## Process-wide\n\n");
		table(md, "key", filter(PREFIX, false), 0);
		md.append("\n## Actuator endpoint\n\n");
		table(md, "key", filter("management.", false), 0);
		md.append("\n## Related Spring Boot keys\n\n");
		md.append("| key | effect |\n|---|---|\n");
		md.append("| `spring.threads.virtual.enabled` | `true` on Java 21+: handlers and listeners run on virtual ")
			.append("threads (each connection's deliveries stay serial). |\n");
		md.append("| `management.health.connections.enabled` | `false` turns the `connections` health contributor ")
			.append("off. |\n");
		md.append("| `management.observations.enable.connection.manager` | `false` turns the ")
			.append("`connection.manager.connect` and `connection.manager.outage` observations off. |\n");
		return md.toString();
	}

	private List<Map<String, Object>> filter(String prefix, boolean under) {
		return this.properties.values().stream().filter((property) -> {
			String name = (String) property.get("name");
			if (under) {
				return name.startsWith(prefix);
			}
			return name.startsWith(prefix) && !name.startsWith(DEFAULTS) && !name.equals(CONNECTIONS);
		}).toList();
	}

	private void table(StringBuilder md, String keyHeader, List<Map<String, Object>> rows, int strip) {
		md.append("| ").append(keyHeader).append(" | type | default | description |\n|---|---|---|---|\n");
		for (Map<String, Object> property : rows) {
			String name = (String) property.get("name");
			md.append("| `")
				.append(name.substring(strip))
				.append("` | ")
				.append(type(property))
				.append(" | ")
				.append(defaultValue(property))
				.append(" | ")
				.append(text(property))
				.append(valuesOf(name))
				.append(" |\n");
		}
	}

	/** A readable type; an enum's values when the metadata or the type lists them. */
	private String type(Map<String, Object> property) {
		String type = (String) property.get("type");
		List<Map<String, Object>> hinted = this.hints.get((String) property.get("name"));
		if (hinted != null && !hinted.isEmpty()) {
			return hinted.stream().map((value) -> "`" + value.get("value") + "`").collect(Collectors.joining(" \\| "));
		}
		List<String> constants = enumConstants(type);
		if (!constants.isEmpty()) {
			return constants.stream().map((value) -> "`" + value + "`").collect(Collectors.joining(" \\| "));
		}
		return (type != null) ? simpleNames(type) : "";
	}

	private static List<String> enumConstants(String type) {
		if (type == null || type.contains("<")) {
			return List.of();
		}
		try {
			Class<?> candidate = Class.forName(type, false, ReferenceDocumentation.class.getClassLoader());
			if (!candidate.isEnum()) {
				return List.of();
			}
			List<String> constants = new ArrayList<>();
			for (Object constant : candidate.getEnumConstants()) {
				constants.add(((Enum<?>) constant).name().toLowerCase(Locale.ROOT).replace('_', '-'));
			}
			return constants;
		}
		catch (ClassNotFoundException | LinkageError ex) {
			return List.of();
		}
	}

	/** {@code java.util.Map<java.lang.String,a.b.C$D>} as {@code Map<String, D>}. */
	private static String simpleNames(String type) {
		return "`" + type.replaceAll("[\\w.]*[.$](\\w+)", "$1").replace(",", ", ") + "`";
	}

	private static String defaultValue(Map<String, Object> property) {
		Object value = property.get("defaultValue");
		if (value instanceof String name && !enumConstants((String) property.get("type")).isEmpty()) {
			value = name.toLowerCase(Locale.ROOT).replace('_', '-'); // as the values are
																		// listed
		}
		if (value == null) {
			return "";
		}
		if (value instanceof Collection<?> values) {
			return values.isEmpty() ? "(empty)"
					: "`" + values.stream().map(String::valueOf).collect(Collectors.joining(", ")) + "`";
		}
		if (value instanceof Map<?, ?> map && map.isEmpty()) {
			return "(empty)";
		}
		return "`" + value + "`";
	}

	private static String text(Map<String, Object> property) {
		String description = (property != null) ? (String) property.get("description") : null;
		if (description == null) {
			return "";
		}
		String text = JAVADOC_CODE.matcher(description)
			.replaceAll((match) -> Matcher.quoteReplacement("`" + match.group(1) + "`"));
		text = JAVADOC_LINK.matcher(text).replaceAll((match) -> Matcher.quoteReplacement("`" + match.group(1) + "`"));
		return cell(text);
	}

	private String valuesOf(String name) {
		List<Map<String, Object>> hinted = this.hints.get(name);
		if (hinted == null || hinted.stream().noneMatch((value) -> value.get("description") != null)) {
			return "";
		}
		return hinted.stream()
			.map((value) -> "`" + value.get("value") + "`: " + cell(String.valueOf(value.get("description"))))
			.collect(Collectors.joining(" ", "<br>", ""));
	}

	/**
	 * One table cell: on one line, no column break, and {@code <name>} shown as text
	 * outside code spans (Markdown would take it for an HTML tag).
	 */
	private static String cell(String text) {
		String[] spans = text.replaceAll("\\s+", " ").trim().replace("|", "\\|").split("`", -1);
		for (int i = 0; i < spans.length; i += 2) {
			spans[i] = spans[i].replace("<", "&lt;").replace(">", "&gt;");
		}
		return String.join("`", spans);
	}

}
