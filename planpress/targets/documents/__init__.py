"""The submission documents: one pandoc Markdown document, rendered to Word and to a PDF/UA-1 PDF.

    markdown.py  the plan as pandoc Markdown (Jinja, from content/)
    pandoc.py    running the bundled pandoc, its failures kept with their evidence
    docx.py      what pandoc cannot do in Word, done on the file it wrote
    pdf.py       pandoc's Typst writer, then the typst compiler, tagged for PDF/UA-1
"""
