package io.connectionmanager.core.runtime;

/** A scheduled task that can be called off. */
@FunctionalInterface
public interface Cancellable {

	Cancellable NONE = () -> {
	};

	void cancel();

}
