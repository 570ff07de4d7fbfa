package io.connectionmanager.autoconfigure.diagnostics;

import io.connectionmanager.autoconfigure.ExclusiveModeUnavailableException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Says what to add when exclusive connections cannot elect a holder.
 */
public class ExclusiveModeUnavailableFailureAnalyzer
		extends AbstractFailureAnalyzer<ExclusiveModeUnavailableException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ExclusiveModeUnavailableException cause) {
		return new FailureAnalysis(cause.getMessage(), cause.getAction(), cause);
	}

}
