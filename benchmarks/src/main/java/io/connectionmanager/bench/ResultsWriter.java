package io.connectionmanager.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the results as JSON (no library needed for maps, lists, numbers and strings) and
 * as a Markdown report.
 */
final class ResultsWriter {

	private ResultsWriter() {
	}

	static void writeJson(Path file, Map<String, Object> results) throws IOException {
		StringBuilder out = new StringBuilder();
		json(out, results, "");
		out.append('\n');
		Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
	}

	private static void json(StringBuilder out, Object value, String indent) {
		if (value == null) {
			out.append("null");
		}
		else if (value instanceof Map<?, ?> map) {
			if (map.isEmpty()) {
				out.append("{}");
				return;
			}
			String inner = indent + "  ";
			out.append("{\n");
			int i = 0;
			for (Map.Entry<?, ?> entry : map.entrySet()) {
				out.append(inner);
				string(out, String.valueOf(entry.getKey()));
				out.append(": ");
				json(out, entry.getValue(), inner);
				out.append((++i < map.size()) ? ",\n" : "\n");
			}
			out.append(indent).append('}');
		}
		else if (value instanceof Collection<?> list) {
			boolean simple = list.stream().allMatch((v) -> v instanceof Number || v instanceof String);
			if (simple) {
				out.append('[');
				int i = 0;
				for (Object item : list) {
					json(out, item, indent);
					if (++i < list.size()) {
						out.append(", ");
					}
				}
				out.append(']');
				return;
			}
			String inner = indent + "  ";
			out.append("[\n");
			int i = 0;
			for (Object item : list) {
				out.append(inner);
				json(out, item, inner);
				out.append((++i < list.size()) ? ",\n" : "\n");
			}
			out.append(indent).append(']');
		}
		else if (value instanceof Double || value instanceof Float) {
			double number = ((Number) value).doubleValue();
			if (Double.isNaN(number) || Double.isInfinite(number)) {
				out.append("null");
			}
			else if (number == Math.rint(number) && Math.abs(number) < 1e15) {
				out.append((long) number);
			}
			else {
				out.append(number);
			}
		}
		else if (value instanceof Number || value instanceof Boolean) {
			out.append(value);
		}
		else {
			string(out, value.toString());
		}
	}

	private static void string(StringBuilder out, String text) {
		out.append('"');
		for (char c : text.toCharArray()) {
			switch (c) {
				case '"' -> out.append("\\\"");
				case '\\' -> out.append("\\\\");
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (c < 0x20) {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		out.append('"');
	}

	/** One row of the summary table. */
	record Row(String key, Object ours, Object spread, Object baseline, String goal, Boolean met) {
	}

	static void writeMarkdown(Path file, Map<String, Object> results, List<Row> rows, List<String> sections,
			List<String> plots) throws IOException {
		StringBuilder md = new StringBuilder();
		@SuppressWarnings("unchecked")
		Map<String, Object> machine = (Map<String, Object>) results.get("machine");
		md.append("# connection-manager benchmark results\n\n");
		md.append("Mode `")
			.append(results.get("mode"))
			.append("`, commit `")
			.append(results.get("git_commit"))
			.append(Boolean.TRUE.equals(results.get("git_dirty")) ? " (dirty)" : "")
			.append("`, ")
			.append(results.get("started_at"))
			.append(", ")
			.append(machine.get("cores"))
			.append(" cores, JDK ")
			.append(machine.get("jdk"))
			.append(", wall time ")
			.append(results.get("wall_seconds"))
			.append(" s. The machine is shared with other builds: compare the columns of one run, not runs.\n\n");
		md.append("| key | connection-manager | p25-p75 | baseline (OkHttp) | goal | met |\n");
		md.append("| --- | ---: | ---: | ---: | --- | :---: |\n");
		for (Row row : rows) {
			md.append("| `")
				.append(row.key())
				.append("` | ")
				.append(cell(row.ours()))
				.append(" | ")
				.append((row.spread() != null) ? cell(row.spread()) : "")
				.append(" | ")
				.append(cell(row.baseline()))
				.append(" | ")
				.append((row.goal() != null) ? row.goal() : "")
				.append(" | ")
				.append((row.met() == null) ? "" : row.met() ? "met" : "**not met**")
				.append(" |\n");
		}
		md.append('\n');
		for (String section : sections) {
			md.append(section).append('\n');
		}
		if (!plots.isEmpty()) {
			md.append("## Plots\n\n");
			for (String plot : plots) {
				md.append("![").append(plot).append("](").append(plot).append(")\n\n");
			}
		}
		Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
	}

	static String cell(Object value) {
		if (value == null) {
			return "-";
		}
		if (value instanceof Map<?, ?> map) {
			StringBuilder out = new StringBuilder();
			map.forEach((k, v) -> out.append((out.length() > 0) ? ", " : "").append(k).append(' ').append(cell(v)));
			return out.toString();
		}
		if (value instanceof java.util.Collection<?> list) {
			StringBuilder out = new StringBuilder();
			list.forEach((v) -> out.append((out.length() > 0) ? ", " : "").append(cell(v)));
			return "[" + out + "]";
		}
		if (value instanceof Double number) {
			if (number.isNaN()) {
				return "n/a";
			}
			return (number == Math.rint(number) && Math.abs(number) < 1e15) ? Long.toString(number.longValue())
					: String.format(Locale.ROOT, "%s", number);
		}
		return value.toString();
	}

}
