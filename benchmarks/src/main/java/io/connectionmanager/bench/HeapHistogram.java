package io.connectionmanager.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.management.ObjectName;

/**
 * Live-heap class histograms (the {@code GC.class_histogram} diagnostic command, as
 * {@code jcmd} would run it; it collects first), and what N connections added per class:
 * where the heap per connection goes.
 */
final class HeapHistogram {

	private static final Pattern LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)");

	/** Per class name: instances and bytes. */
	private final Map<String, long[]> classes;

	private HeapHistogram(Map<String, long[]> classes) {
		this.classes = classes;
	}

	static HeapHistogram take() {
		Map<String, long[]> classes = new HashMap<>();
		try {
			String text = (String) ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
						new Object[] { new String[0] }, new String[] { String[].class.getName() });
			for (String line : text.split("\n")) {
				Matcher matcher = LINE.matcher(line);
				if (matcher.find()) {
					classes.put(matcher.group(3),
							new long[] { Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)) });
				}
			}
		}
		catch (Exception ex) {
			Bench.log("heap histogram unavailable: " + ex);
		}
		return new HeapHistogram(classes);
	}

	/**
	 * The {@code top} classes by bytes added from {@code before} to this histogram, per
	 * connection, as "bytes B (instances) class".
	 */
	List<String> addedPerConnection(HeapHistogram before, int connections, int top) {
		List<Map.Entry<String, long[]>> added = new ArrayList<>();
		this.classes.forEach((name, now) -> {
			long[] then = before.classes.getOrDefault(name, new long[2]);
			added.add(Map.entry(name, new long[] { now[0] - then[0], now[1] - then[1] }));
		});
		added.sort((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]));
		List<String> out = new ArrayList<>();
		for (Map.Entry<String, long[]> entry : added.subList(0, Math.min(top, added.size()))) {
			out.add(String.format(Locale.ROOT, "%.0f B (%.2f) %s", (double) entry.getValue()[1] / connections,
					(double) entry.getValue()[0] / connections, entry.getKey()));
		}
		return out;
	}

}
