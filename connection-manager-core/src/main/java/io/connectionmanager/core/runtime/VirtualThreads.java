package io.connectionmanager.core.runtime;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

/**
 * A virtual-thread-per-task executor where the JVM has virtual threads (Java 21+), looked
 * up at run time because the code is compiled for Java 17.
 */
final class VirtualThreads {

	private VirtualThreads() {
	}

	/**
	 * An executor that starts one named virtual thread per task, or {@code null} on a JVM
	 * without virtual threads.
	 */
	static ExecutorService newPerTaskExecutor(String namePrefix) {
		try {
			Class<?> builderType = Class.forName("java.lang.Thread$Builder");
			Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
			builder = builderType.getMethod("name", String.class, long.class).invoke(builder, namePrefix, 0L);
			ThreadFactory factory = (ThreadFactory) builderType.getMethod("factory").invoke(builder);
			return (ExecutorService) Executors.class.getMethod("newThreadPerTaskExecutor", ThreadFactory.class)
				.invoke(null, factory);
		}
		catch (ReflectiveOperationException | LinkageError ex) {
			return null;
		}
	}

}
