package dev.baton.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a {@link BatonStartException} as Spring Boot reports start failures: what failed, and what to do. */
final class BatonFailureAnalyzer extends AbstractFailureAnalyzer<BatonStartException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, BatonStartException cause) {
        return new FailureAnalysis(cause.getMessage(), cause.action(), cause);
    }
}
