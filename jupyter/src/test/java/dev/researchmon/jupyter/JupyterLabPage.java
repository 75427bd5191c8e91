package dev.researchmon.jupyter;

import java.net.URI;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;

/** JupyterLab 4 (Jupyter Server 2): the launcher's cards, CodeMirror 6 cells, the toolbar's execution indicator. */
final class JupyterLabPage extends NotebookPage {
    private static final String NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)";

    private JupyterLabPage(WebDriver driver) {
        super(driver);
    }

    /** Loads the Lab UI with the server's token and waits for its launcher. */
    static JupyterLabPage open(WebDriver driver, URI server, String token) {
        // reset: the launcher, whatever layout the server kept from an earlier visit
        driver.get(server.resolve("/lab?reset&token=" + token).toString());
        JupyterLabPage page = new JupyterLabPage(driver);
        page.await(
                "the launcher",
                d -> !d.findElements(By.cssSelector(".jp-LauncherCard")).isEmpty());
        return page;
    }

    @Override
    void newNotebook(String kernelDisplayName) {
        WebElement card = await(
                "a notebook card for " + kernelDisplayName,
                d -> d.findElements(By.cssSelector(".jp-LauncherCard[data-category='Notebook']")).stream()
                        // the title, not the text: a long name wraps in the card
                        .filter(c -> kernelDisplayName.equals(c.getAttribute("title")))
                        .findFirst()
                        .orElse(null));
        card.click();
        await(
                "the notebook's editor",
                d -> !d.findElements(By.cssSelector(activeCellSelector() + " .cm-content"))
                        .isEmpty());
        // the toolbar's indicator says idle from the start, before the kernel is there (its state
        // starts as idle); the status bar says "Initializing" until the kernel answered
        String ready = kernelDisplayName + " | Idle";
        await(
                "the status bar's \"" + ready + "\"",
                d -> d.findElements(By.cssSelector(".jp-StatusBar-TextItem")).stream()
                        .anyMatch(item -> item.getText().trim().equals(ready)));
        awaitKernelStatus("idle");
        answerNoToTheNewsQuestion();
    }

    /** JupyterLab asks once whether to fetch Jupyter news; the toast would hide outputs in screenshots. */
    private void answerNoToTheNewsQuestion() {
        for (WebElement button : driver.findElements(By.cssSelector(".jp-toast-button"))) {
            if (button.getText().trim().equals("No")) {
                button.click();
                return;
            }
        }
    }

    @Override
    String notebookName() {
        return driver.findElement(
                        By.cssSelector(".lm-DockPanel-tabBar .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel"))
                .getText()
                .trim();
    }

    @Override
    String kernelStatus() {
        List<WebElement> indicator = driver.findElements(By.cssSelector(NOTEBOOK + " .jp-Notebook-ExecutionIndicator"));
        return indicator.isEmpty() ? "" : String.valueOf(indicator.get(0).getAttribute("data-status"));
    }

    @Override
    String activeCellSelector() {
        return NOTEBOOK + " .jp-Cell.jp-mod-active";
    }

    @Override
    String editorInputSelector() {
        return ".cm-content";
    }

    @Override
    String editorTextSelector() {
        return ".cm-content";
    }

    @Override
    String promptSelector() {
        return ".jp-InputPrompt";
    }

    @Override
    String outputSelector() {
        return ".jp-OutputArea-output";
    }

    @Override
    String completionSelector() {
        return ".jp-Completer .jp-Completer-item .jp-Completer-match";
    }

    @Override
    String interruptButtonSelector() {
        return NOTEBOOK + " .jp-Toolbar [data-command='notebook:interrupt-kernel']";
    }
}
