package io.connectionmanager.core.internal.resume;

import io.connectionmanager.core.resume.StreamPosition;

/**
 * The write state of one connection in a {@link FileResumeStore}; guarded by the store.
 */
final class PendingPosition {

	StreamPosition pending;

	/** Incremented by every save; the newest on disk is {@link #writtenVersion}. */
	long pendingVersion;

	long writtenVersion;

	/** No interval write before this {@link System#nanoTime()}. */
	long notBefore = System.nanoTime();

	/** A write is queued. */
	boolean scheduled;

}
