package io.connectionmanager.reliability.soak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Writes {@code soak-summary.json}: totals, resource baselines and, per fault kind,
 * detection and recovery times.
 */
final class SoakSummary {

	private final Map<String, Object> fields = new LinkedHashMap<>();

	SoakSummary put(String name, Object value) {
		this.fields.put(name, value);
		return this;
	}

	/**
	 * Per kind: count, detected, recovered, causes, and p50/max of detection and recovery
	 * in milliseconds.
	 */
	SoakSummary perFault(List<FaultRecord> records) {
		Map<String, Object> kinds = new LinkedHashMap<>();
		for (FaultKind kind : FaultKind.values()) {
			List<FaultRecord> ofKind = records.stream().filter((record) -> record.kind() == kind).toList();
			Map<String, Object> entry = new LinkedHashMap<>();
			entry.put("count", ofKind.size());
			entry.put("detected", ofKind.stream().filter((record) -> record.detectedAt() != null).count());
			entry.put("recovered", ofKind.stream().filter(FaultRecord::recovered).count());
			Map<String, Long> causes = new TreeMap<>();
			ofKind.stream()
				.map(FaultRecord::detectedAs)
				.filter(Objects::nonNull)
				.forEach((cause) -> causes.merge(cause.name(), 1L, Long::sum));
			entry.put("detected_as", causes);
			entry.put("detection_ms", percentiles(ofKind.stream().map(FaultRecord::detectionMillis).toList()));
			entry.put("recovery_ms", percentiles(ofKind.stream().map(FaultRecord::recoveryMillis).toList()));
			kinds.put(kind.jsonName(), entry);
		}
		this.fields.put("per_fault", kinds);
		return this;
	}

	static Map<String, Object> percentiles(List<Long> values) {
		List<Long> sorted = new ArrayList<>(values.stream().filter(Objects::nonNull).sorted().toList());
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("p50", sorted.isEmpty() ? null : sorted.get((sorted.size() - 1) / 2));
		result.put("max", sorted.isEmpty() ? null : sorted.get(sorted.size() - 1));
		return result;
	}

	void write(Path file) {
		try {
			Files.createDirectories(file.toAbsolutePath().getParent());
			Files.writeString(file, toJson(this.fields, "") + "\n");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public String toString() {
		return toJson(this.fields, "");
	}

	private static String toJson(Object value, String indent) {
		if (value == null) {
			return "null";
		}
		if (value instanceof Number || value instanceof Boolean) {
			return value.toString();
		}
		if (value instanceof Map<?, ?> map) {
			if (map.isEmpty()) {
				return "{}";
			}
			String inner = indent + "  ";
			List<String> entries = new ArrayList<>();
			map.forEach((key, item) -> entries.add(inner + quote(key.toString()) + ": " + toJson(item, inner)));
			return "{\n" + String.join(",\n", entries) + "\n" + indent + "}";
		}
		return quote(value.toString());
	}

	private static String quote(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

}
