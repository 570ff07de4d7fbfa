package io.connectionmanager.autoconfigure;

/**
 * Provides the resume stores shared by replicas ({@code resume.store: redis} or
 * {@code jdbc}): as a {@link ConnectionBuilderCustomizer}, it sets the store on the
 * builder of each connection configured with a type it {@link #supports}. A connection
 * configured with a shared store that no such bean supports stops start-up.
 */
public interface SharedResumeStores extends ConnectionBuilderCustomizer {

	/** Whether this bean provides stores of the given type. */
	boolean supports(ResumeStoreType type);

}
