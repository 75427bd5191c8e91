package dev.researchmon.kernel.eval;

import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Tells whether a snippet JShell calls complete can be parsed at all, in any of the places a snippet
 * may stand (an import, a declaration, a statement, an expression). Parsing only, no types: a
 * snippet naming an unknown class still parses; {@code 1 +* 2} never will, so it is "invalid".
 *
 * <pre>{@code
 * new SyntaxChecker().parses("int 1x = 2;")   // false
 * }</pre>
 */
final class SyntaxChecker {
    private final JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    private final StandardJavaFileManager files = javac.getStandardFileManager(null, null, null);

    boolean parses(String snippet) {
        String trimmed = snippet.strip();
        String expression = trimmed.endsWith(";") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
        return parsesAlone(trimmed + "\nclass $W {}")
                || parsesAlone("class $W {\n" + trimmed + "\n}")
                || parsesAlone("class $W { void $m() throws Throwable {\n" + trimmed + "\n} }")
                || parsesAlone("class $W { Object $v = (\n" + expression + "\n); }");
    }

    private boolean parsesAlone(String source) {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///W.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        JavacTask task =
                (JavacTask) javac.getTask(null, files, diagnostics, List.of("-proc:none"), null, List.of(file));
        try {
            task.parse();
        } catch (IOException e) {
            return false;
        }
        return diagnostics.getDiagnostics().stream().noneMatch(d -> d.getKind() == Diagnostic.Kind.ERROR);
    }
}
