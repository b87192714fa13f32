package org.openwebapps.itests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.AssumptionViolatedException;
import org.junit.runner.Description;
import org.junit.runner.manipulation.Filter;
import org.junit.runner.manipulation.NoTestsRemainException;
import org.junit.runner.notification.Failure;
import org.junit.runner.notification.RunNotifier;
import org.junit.runners.model.InitializationError;
import org.ops4j.pax.exam.junit.PaxExam;

/**
 * Pax Exam, plus {@link RequiresServers}: tests whose servers are not configured are taken out
 * before the container boots and reported here, in the test JVM, as skipped (locally) or failed
 * ({@code CI=true}). Needed because an assumption that fails inside the container reaches JUnit as
 * a pass; and when nothing is left to run, the container does not boot at all.
 */
public final class ServerExam extends PaxExam {

    private final Map<Description, String> missing = new LinkedHashMap<>();
    private final boolean runsSomething;

    public ServerExam(Class<?> testClass) throws InitializationError {
        super(testClass);
        RequiresServers classLevel = testClass.getAnnotation(RequiresServers.class);
        for (Description test : getDescription().getChildren()) {
            List<String> variables = new ArrayList<>();
            if (classLevel != null) {
                variables.addAll(List.of(classLevel.value()));
            }
            RequiresServers methodLevel = methodAnnotation(testClass, test);
            if (methodLevel != null) {
                variables.addAll(List.of(methodLevel.value()));
            }
            List<String> unset = variables.stream().filter(name -> {
                String value = System.getenv(name);
                return value == null || value.isBlank();
            }).distinct().toList();
            if (!unset.isEmpty()) {
                missing.put(test, String.join(", ", unset) + (unset.size() == 1 ? " is" : " are")
                        + " not set: no server to test against");
            }
        }
        boolean remaining = true;
        if (!missing.isEmpty()) {
            try {
                super.filter(new Filter() {
                    @Override
                    public boolean shouldRun(Description description) {
                        return !missing.containsKey(description);
                    }

                    @Override
                    public String describe() {
                        return "tests whose servers are configured";
                    }
                });
            } catch (NoTestsRemainException e) {
                remaining = false;
            }
        }
        runsSomething = remaining;
    }

    private static RequiresServers methodAnnotation(Class<?> testClass, Description test) {
        RequiresServers annotation = test.getAnnotation(RequiresServers.class);
        if (annotation != null || test.getMethodName() == null) {
            return annotation;
        }
        try {
            return testClass.getMethod(test.getMethodName()).getAnnotation(RequiresServers.class);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    @Override
    public void run(RunNotifier notifier) {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        missing.forEach((test, why) -> {
            notifier.fireTestStarted(test);
            if (ci) {
                notifier.fireTestFailure(new Failure(test, new AssertionError(why + " (CI=true: .ci/run starts the servers and sets it)")));
            } else {
                notifier.fireTestAssumptionFailed(new Failure(test, new AssumptionViolatedException(why
                        + " (skipped locally; tools/test-all.sh starts the servers)")));
            }
            notifier.fireTestFinished(test);
        });
        if (runsSomething) {
            super.run(notifier);
        }
    }
}
