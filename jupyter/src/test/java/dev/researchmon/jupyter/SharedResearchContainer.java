package dev.researchmon.jupyter;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands every test class of a run the same {@link ResearchContainer}: started for the first class
 * that asks, stopped when the run ends (JUnit closes what the root store holds). The image check,
 * the container's start and JupyterLab's first start are paid once, not once per class.
 *
 * <pre>{@code
 * @ExtendWith(SharedResearchContainer.class)
 * class SomeIT {
 *     @BeforeAll
 *     static void start(ResearchContainer research) { ... }
 * }
 * }</pre>
 */
final class SharedResearchContainer implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SharedResearchContainer.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ResearchContainer.class;
    }

    @Override
    public ResearchContainer resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        ResearchContainer.class,
                        key -> {
                            try {
                                return ResearchContainer.start();
                            } catch (Exception e) {
                                throw new IllegalStateException("the research container did not start", e);
                            }
                        },
                        ResearchContainer.class);
    }
}
