package io.connectionmanager.core.internal.resume;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/** One daemon thread for every file store of the process, created on first use. */
final class SharedResumeWriter {

	static final ScheduledExecutorService EXECUTOR = create();

	private SharedResumeWriter() {
	}

	private static ScheduledExecutorService create() {
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "connection-manager-resume-writer");
			thread.setDaemon(true);
			return thread;
		});
		executor.setRemoveOnCancelPolicy(true);
		return executor;
	}

}
