package dev.mlv.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Text from the repository can neither become markup nor break a table, nor name a file outside the charts folder. */
class ReportEscapingTest {
    @Test
    void htmlEscapesMarkupQuotesAndControlCharacters() {
        assertThat(HtmlFormat.escape("<b a=\"1\" c='2'>&\u0007")).isEqualTo("&lt;b a=&quot;1&quot; c=&#39;2&#39;&gt;&amp;\uFFFD");
    }

    @Test
    void markdownKeepsCellsLinksAndEmphasisInert() {
        assertThat(MarkdownFormat.escape("a|b [x](y) *z* _w_ `c` <i>\nnext"))
                .isEqualTo("a\\|b \\[x\\](y) \\*z\\* \\_w\\_ \\`c\\` &lt;i&gt; next");
    }

    @Test
    void chartFileNamesArePlain() {
        assertThat(MarkdownFormat.fileName("train.loss")).isEqualTo("train.loss");
        assertThat(MarkdownFormat.fileName("../../etc/passwd")).isEqualTo("_.._.._etc_passwd");
        assertThat(MarkdownFormat.fileName("ü/x y")).isEqualTo("__x_y");
    }
}
