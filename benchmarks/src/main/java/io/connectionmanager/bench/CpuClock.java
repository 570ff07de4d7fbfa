package io.connectionmanager.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Objects;

/**
 * CPU time of this process, and of its client side: the process less the threads of an
 * in-process server (which does the same work whichever client it serves, and would
 * otherwise dilute a client-to-client ratio). Garbage collection and JIT threads stay in
 * the client side: what a client allocates, it pays for.
 */
final class CpuClock {

	private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

	private final long[] excludedThreadIds;

	CpuClock(long[] excludedThreadIds) {
		this.excludedThreadIds = excludedThreadIds;
	}

	/** Excludes the live threads whose names start with {@code prefix}. */
	static CpuClock excludingThreadsNamed(String prefix) {
		ThreadInfo[] infos = THREADS.getThreadInfo(THREADS.getAllThreadIds());
		return new CpuClock(Arrays.stream(infos)
			.filter(Objects::nonNull)
			.filter((info) -> info.getThreadName().startsWith(prefix))
			.mapToLong(ThreadInfo::getThreadId)
			.toArray());
	}

	long processNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return 0;
	}

	/** Process CPU time less the excluded threads' (a thread that ended counts 0). */
	long clientNanos() {
		long excluded = 0;
		for (long id : this.excludedThreadIds) {
			excluded += Math.max(0, THREADS.getThreadCpuTime(id));
		}
		return processNanos() - excluded;
	}

	int excludedThreads() {
		return this.excludedThreadIds.length;
	}

}
