"""A pandoc Markdown document with every class and case templates/common/document/filters.lua handles.

Used by tests/test_filter_output.py (what the filter makes of each case) and by
benchmarks/filter_cost.py (the same output, byte for byte, from a changed filter).
Read with the build's reader, except where a test reads it with raw attributes allowed
(RAW_READER) to reach the filter's safety net for raw code.
"""

from planpress.targets.documents.pandoc import READER

RAW_READER = READER.replace("-raw_attribute", "+raw_attribute")

# A landscape part in a list: the filter looks at every list of blocks, not only the top level's and divs'.
IN_A_LIST = """- An item

  ### Lead-in in a list

  ::: landscape
  | In | List |
  |---|---|
  | 3 | 4 |
  :::

"""

LEAD_IN = " ".join(["word"] * 260)  # more than the filter takes onto a landscape page

CASES = f"""---
title: "Plan \\"quoted\\" title"
author: 'Board of "Somewhere" \\ and more'
subject: A subject
date: 2014-04-01
link-anchors:
  metric: annex-figures
...

::: cover
::: cover-hwb
The Board
:::

::: cover-title
The Title
:::

::: cover-detail
A detail
:::
:::

::: pagebreak
:::

::: toc
:::

# Vision {{#section-vision}}

::: question
What is the vision?
:::

See [the risks](section:risks), [a scheme](scheme:PE 1/b), [the figures](metric:Non-elective),
[web](https://www.example.org), [mail](mailto:a@example.org), [Tel](TEL:+441234),
[share](\\\\\\\\fs\\\\x.docx), [file](file://fs/x), [ftp](ftp://files.example/x),
[gone](#nowhere), [here](#section-vision), [raw one](#in-raw-code) and [draft](drafts/x.docx).

Raw: <b>html</b> <a id="html-anchor"></a> [to raw HTML](#html-anchor) and $\\alpha + \\beta$ and a formula $$E = mc^2$$.

<div class="html">Some HTML</div>

```{{=openxml}}
<w:p><w:r><w:t>in-raw-code</w:t></w:r></w:p>
```

Inline `#read("plan.md")`{{=typst}} and `<w:br/>`{{=openxml}}.

```{{=html}}
<p>html block</p>
```

::: {{custom-style="Cover Title"}}
Styled by the author
:::

Span [styled]{{custom-style="Strong"}} and [kept]{{.keep #span-id}}.

![A chart](charts/chart.svg)

![Unsafe web picture](https://example.org/x.png)

![Absolute](/etc/x.png) ![Back](../x.png) ![Deep](a/../../x.png) ![Share](a\\\\b.png)

![Spaced name](my%20picture.png){{alt="Alt said"}}

###### Too deep {{#deep}}

## Again {{#section-vision}}

[Again span]{{#section-vision}} and `code`{{#section-vision}}.

::: {{#section-vision}}
A div with a used id.
:::

# Risks {{#section-risks}}

::: shift-headings
### Author part

#### Author sub-part
:::

| Group | 2014 | Change | Note | Share |
|---|---|---|---|:-:|
| Residents aged 85 | 5,900 | +34% | rising | 1 |
| Carers | £1.2m | −3.5% | – | 2 |
| Others | n/a | - | (x) | 3 |
| Total | 15 (Very high) | €40k | | 4 |

::: row-headers
| Label | Value |
|---|---|
| Board | The Board |
| Paragraphs | First |
| | empty |
:::

## Before the wide table

A short lead-in paragraph.

::: landscape
| Reference | A long task column with many words in it | Money |
|---|---|--:|
| R1 | Something rather long to do over the year, with several partners | £1,000 |
:::

# A level-one heading

Short text.

## A level-two heading

More short text.

::: landscape
| A | B |
|---|---|
| 1 | 2 |
:::

## Long lead-in

{LEAD_IN}

::: landscape
| C | D |
|---|---|
| x | y |
:::

::: {{.landscape}}
::: row-headers
| Label | Value |
|---|---|
| In landscape | yes |
:::
:::

Afterwards.

# Odd corners {{#odd}}

![Caption with [a span]{{#odd}} and [a link](section:risks) and [gone](#gone-too)](https://example.org/y.png)

| Cell | Raw |
|---|---|
| `<w:t>1</w:t>`{{=openxml}} | 2 |
| ![A picture](charts/chart.svg) | 3 |
| <b>4</b> | 5 |

[H [inner]{{#odd}}]{{#odd}}

## Heading with [a span]{{#odd}} inside

::: {{.shift-headings .row-headers custom-style="Quote"}}
## Shifted in a styled div

| Label | Value |
|---|---|
| One | 1 |
:::

::: wrapper
## Lead-in in a div

A few words.

::: landscape
| In | Div |
|---|---|
| 1 | 2 |
:::
:::

{IN_A_LIST}::: landscape
::: landscape
| Nested | Landscape |
|---|---|
| a | b |
:::
:::
"""

# The same without the landscape part in a list.
CASES_AT_TOP = CASES.replace(IN_A_LIST, "")
