package dev.researchmon.jupyter;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A Jupyter notebook front end as a user sees it, in terms of what a user does: open a new notebook,
 * type and run cells, press Tab, press the toolbar's interrupt button. What it reads back comes from
 * the page (rendered outputs, prompts, the kernel status indicator), never from the server's API.
 * Each front end ({@link JupyterLabPage}, {@link ClassicNotebookPage}) says where those are.
 *
 * <pre>{@code
 * NotebookPage page = JupyterLabPage.open(driver, URI.create("http://127.0.0.1:8888"), token);
 * page.newNotebook("Java (research-monitor)");
 * page.run("1 + 1").text();   // "2"
 * }</pre>
 */
abstract class NotebookPage {
    /** Generous: a loaded two-core CI machine compiles the first cells slowly. */
    static final Duration WAIT = Duration.ofSeconds(120);

    private static final Pattern FINISHED_PROMPT = Pattern.compile("\\[\\d+\\]:");

    final WebDriver driver;

    NotebookPage(WebDriver driver) {
        this.driver = driver;
    }

    /** Opens a new notebook on the kernel named {@code kernelDisplayName}; returns when its kernel is idle. */
    abstract void newNotebook(String kernelDisplayName);

    /** The open notebook's file name, as the server knows it. */
    abstract String notebookName();

    /** The kernel's status as the page shows it: idle, busy... */
    abstract String kernelStatus();

    /** The selected cell. */
    abstract String activeCellSelector();

    /** Inside a cell: the element that takes keystrokes, and the one that shows the source. */
    abstract String editorInputSelector();

    abstract String editorTextSelector();

    abstract String promptSelector();

    abstract String outputSelector();

    /** The completer's suggestions (their names). */
    abstract String completionSelector();

    abstract String interruptButtonSelector();

    void awaitKernelStatus(String status) {
        await(
                "kernel status " + status + " (now " + kernelStatus() + ")",
                d -> kernelStatus().equals(status));
    }

    /** Types {@code code} into the selected cell as keystrokes. */
    Cell type(String code) {
        Cell cell = activeCell();
        WebElement input = cell.element.findElement(By.cssSelector(editorInputSelector()));
        click(cell.element.findElement(By.cssSelector(editorTextSelector())));
        input.sendKeys(code);
        return cell;
    }

    /** Types {@code code} into the selected cell, runs it with Shift+Enter and waits until it finished. */
    Cell run(String code) {
        Cell cell = type(code);
        cell.runAndWait();
        return cell;
    }

    Cell activeCell() {
        return new Cell(driver.findElement(By.cssSelector(activeCellSelector())));
    }

    /** Presses Tab where the cursor is. */
    void pressTab() {
        new Actions(driver).sendKeys(Keys.TAB).perform();
    }

    List<String> completions() {
        List<String> items = new ArrayList<>();
        for (WebElement item : driver.findElements(By.cssSelector(completionSelector()))) {
            items.add(item.getText().trim());
        }
        return items;
    }

    /** Closes the completer, if open, and empties the selected cell. */
    void clearActiveCell() {
        new Actions(driver).sendKeys(Keys.ESCAPE).perform();
        Cell cell = activeCell();
        click(cell.element.findElement(By.cssSelector(editorTextSelector())));
        new Actions(driver)
                .keyDown(Keys.CONTROL)
                .sendKeys("a")
                .keyUp(Keys.CONTROL)
                .sendKeys(Keys.DELETE)
                .perform();
        await("an empty cell", d -> activeCell().source().isBlank());
    }

    /** Clicks the notebook toolbar's interrupt button (the square). */
    void interruptFromToolbar() {
        WebElement button = await(
                "the toolbar's interrupt button",
                d -> d.findElements(By.cssSelector(interruptButtonSelector())).stream()
                        .findFirst()
                        .orElse(null));
        button.click();
    }

    void click(WebElement element) {
        ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'center'});", element);
        element.click();
    }

    <T> T await(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, WAIT)
                .ignoring(StaleElementReferenceException.class)
                .withMessage(() -> "waited " + WAIT.toSeconds() + " s for " + what)
                .until(condition);
    }

    /** One notebook cell: its prompt and its rendered outputs. */
    final class Cell {
        private final WebElement element;

        Cell(WebElement element) {
            this.element = element;
        }

        /** Shift+Enter: runs the cell and moves on to the next one. */
        void run() {
            new Actions(driver)
                    .keyDown(Keys.SHIFT)
                    .sendKeys(Keys.ENTER)
                    .keyUp(Keys.SHIFT)
                    .perform();
        }

        void runAndWait() {
            run();
            awaitFinished();
        }

        void awaitFinished() {
            await(
                    "the cell to finish (prompt " + prompt() + ")",
                    d -> FINISHED_PROMPT.matcher(prompt()).find());
            // the cell at the top of the window, so that a screenshot shows its outputs
            ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView({block: 'start'});", element);
        }

        /** "[3]:" once run, "[*]:" while running ("In [3]:" in the classic notebook). */
        String prompt() {
            return element.findElement(By.cssSelector(promptSelector()))
                    .getText()
                    .trim();
        }

        String source() {
            return element.findElement(By.cssSelector(editorTextSelector())).getText();
        }

        List<WebElement> outputs() {
            return element.findElements(By.cssSelector(outputSelector()));
        }

        /** The text of every output, as shown. */
        String text() {
            StringBuilder text = new StringBuilder();
            for (WebElement output : outputs()) {
                text.append(output.getText()).append('\n');
            }
            return text.toString().trim();
        }

        /** Rendered tables (HTML outputs). */
        List<WebElement> tables() {
            return element.findElements(By.cssSelector(outputSelector() + " table"));
        }

        /**
         * Every SVG the outputs show, as markup, and the width the browser gave it: JupyterLab shows
         * {@code image/svg+xml} as an {@code <img>} of a data URI, the classic notebook and HTML
         * outputs hold inline {@code <svg>} elements.
         */
        List<RenderedSvg> svgs() {
            List<RenderedSvg> found = new ArrayList<>();
            JavascriptExecutor js = (JavascriptExecutor) driver;
            for (WebElement img : element.findElements(By.cssSelector(outputSelector() + " img"))) {
                String src = img.getAttribute("src");
                if (src != null && src.startsWith("data:image/svg+xml")) {
                    Number width = (Number) js.executeScript("return arguments[0].naturalWidth;", img);
                    found.add(new RenderedSvg(decode(src), width == null ? 0 : width.intValue()));
                }
            }
            for (WebElement svg : element.findElements(By.cssSelector(outputSelector() + " svg"))) {
                if (svg.findElements(By.xpath("ancestor::*[local-name()='svg']"))
                        .isEmpty()) {
                    Number width = (Number) js.executeScript("return arguments[0].getBoundingClientRect().width;", svg);
                    found.add(new RenderedSvg(svg.getAttribute("outerHTML"), width == null ? 0 : width.intValue()));
                }
            }
            return found;
        }

        private static String decode(String dataUri) {
            int comma = dataUri.indexOf(',');
            String data = dataUri.substring(comma + 1);
            return dataUri.substring(0, comma).endsWith(";base64")
                    ? new String(Base64.getDecoder().decode(data), StandardCharsets.UTF_8)
                    : URLDecoder.decode(data, StandardCharsets.UTF_8);
        }
    }

    /** An SVG as the page holds it, and the width the browser gave it (0: it did not render). */
    record RenderedSvg(String markup, int renderedWidth) {
        /** Points of the chart's data lines ({@code <polyline class="series">}). */
        int seriesPoints() {
            int points = 0;
            var m = Pattern.compile("<polyline[^>]*class=\"series\"[^>]*points=\"([^\"]*)\"")
                    .matcher(markup);
            while (m.find()) {
                points += m.group(1).isBlank() ? 0 : m.group(1).trim().split("\\s+").length;
            }
            return points;
        }
    }
}
