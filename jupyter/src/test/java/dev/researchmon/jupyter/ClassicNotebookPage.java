package dev.researchmon.jupyter;

import java.net.URI;
import java.util.List;
import java.util.Set;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/**
 * The classic notebook (Debian bookworm's notebook 6.4): the dashboard's New menu, CodeMirror 5
 * cells, the kernel indicator's icon. A new notebook opens in a window of its own, which this page
 * then drives.
 */
final class ClassicNotebookPage extends NotebookPage {
    private ClassicNotebookPage(WebDriver driver) {
        super(driver);
    }

    /** Loads the dashboard (the file tree) with the server's token. */
    static ClassicNotebookPage open(WebDriver driver, URI server, String token) {
        driver.get(server.resolve("/tree?token=" + token).toString());
        ClassicNotebookPage page = new ClassicNotebookPage(driver);
        page.await(
                "the dashboard's New button",
                d -> !d.findElements(By.id("new-dropdown-button")).isEmpty());
        return page;
    }

    @Override
    void newNotebook(String kernelDisplayName) {
        Set<String> before = driver.getWindowHandles();
        driver.findElement(By.id("new-dropdown-button")).click();
        WebElement item = await(
                "a New menu item for " + kernelDisplayName,
                d -> d.findElements(By.cssSelector("#new-menu li[id^='kernel-'] a")).stream()
                        .filter(a -> a.getText().trim().equals(kernelDisplayName))
                        .findFirst()
                        .orElse(null));
        item.click();
        String opened = await(
                "the new notebook's window",
                d -> d.getWindowHandles().stream()
                        .filter(h -> !before.contains(h))
                        .findFirst()
                        .orElse(null));
        driver.switchTo().window(opened);
        await(
                "the notebook's editor",
                d -> !d.findElements(By.cssSelector(activeCellSelector() + " .CodeMirror"))
                        .isEmpty());
        awaitKernelStatus("idle");
    }

    @Override
    String notebookName() {
        return driver.findElement(By.id("notebook_name")).getText().trim() + ".ipynb";
    }

    @Override
    String kernelStatus() {
        List<WebElement> icon = driver.findElements(By.id("kernel_indicator_icon"));
        if (icon.isEmpty()) {
            return "";
        }
        String classes = String.valueOf(icon.get(0).getAttribute("class"));
        for (String status : List.of("idle", "busy", "dead", "disconnected")) {
            if (classes.contains("kernel_" + status + "_icon")) {
                return status;
            }
        }
        return classes;
    }

    @Override
    String activeCellSelector() {
        return "#notebook-container .cell.selected";
    }

    @Override
    String editorInputSelector() {
        return ".CodeMirror textarea";
    }

    @Override
    String editorTextSelector() {
        return ".CodeMirror-code";
    }

    @Override
    String promptSelector() {
        return ".input_prompt";
    }

    @Override
    String outputSelector() {
        return ".output_area .output_subarea";
    }

    @Override
    String completionSelector() {
        return "#complete select option";
    }

    @Override
    String interruptButtonSelector() {
        return "#maintoolbar button[data-jupyter-action='jupyter-notebook:interrupt-kernel']";
    }
}
