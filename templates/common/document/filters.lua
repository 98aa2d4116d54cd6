-- Turn the plan document's few semantic classes into what each writer can show.
--
-- plan.md.j2 writes one pandoc Markdown document for both the Word and the Typst (PDF)
-- writers. Where they differ (a page break, a landscape page, a styled paragraph, the
-- contents), the Markdown says what is meant with a class on a div, and this filter says
-- how, per writer. The Word details the filter cannot express (section breaks with the
-- same header and footer, the prefilled contents) are left as marker paragraphs that
-- planpress/documents/docx.py finishes.

-- class -> Word paragraph style (made by scripts/make_reference_docx.py)
local DOCX_STYLES = {
  ["question"] = "Template Question",
  ["cover-hwb"] = "Cover HWB",
  ["cover-unit"] = "Cover HWB",
  ["cover-title"] = "Cover Title",
  ["cover-detail"] = "Cover Detail",
}

-- class -> Typst function defined in plan.typ
local TYPST_FUNCTIONS = {
  ["question"] = "question",
  ["cover"] = "cover",
  ["cover-hwb"] = "cover-hwb",
  ["cover-unit"] = "cover-hwb",
  ["cover-title"] = "cover-title",
  ["cover-detail"] = "cover-detail",
}

local function marker(style)
  return pandoc.RawBlock("openxml",
    '<w:p><w:pPr><w:pStyle w:val="' .. style .. '"/></w:pPr></w:p>')
end

local function docx_div(div)
  if div.classes:includes("pagebreak") then
    return pandoc.RawBlock("openxml", '<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
  end
  if div.classes:includes("toc") then
    return marker("PlanpressContents")
  end
  if div.classes:includes("landscape") then
    local blocks = pandoc.Blocks({ marker("PlanpressLandscapeStart") })
    blocks:extend(div.content)
    blocks:insert(marker("PlanpressLandscapeEnd"))
    return blocks
  end
  for class, style in pairs(DOCX_STYLES) do
    if div.classes:includes(class) then
      div.attributes["custom-style"] = style
      return div
    end
  end
end

local function typst_div(div)
  if div.classes:includes("pagebreak") then
    return pandoc.RawBlock("typst", "#pagebreak()")
  end
  if div.classes:includes("toc") then
    return pandoc.RawBlock("typst", "#contents()")
  end
  if div.classes:includes("landscape") then
    local blocks = pandoc.Blocks({ pandoc.RawBlock("typst", "#page(flipped: true)[#landscape.update(true)") })
    blocks:extend(div.content)
    blocks:insert(pandoc.RawBlock("typst", "#landscape.update(false)]"))
    return blocks
  end
  for class, fn in pairs(TYPST_FUNCTIONS) do
    if div.classes:includes(class) then
      local blocks = pandoc.Blocks({ pandoc.RawBlock("typst", "#" .. fn .. "[") })
      blocks:extend(div.content)
      blocks:insert(pandoc.RawBlock("typst", "]"))
      return blocks
    end
  end
end

-- Author Markdown under a scheme part (itself a level-3 heading) is pushed one level down,
-- so an author's "###" stays one level below the part it is written in.
local function shift_headings(div)
  if div.classes:includes("shift-headings") then
    return div:walk({ Header = function(h) h.level = h.level + 1; return h end })
  end
end

-- Links between parts of the plan: [text](section:risks), (scheme:PE1), (risk:R3) ...
-- A section's heading is section-<id>; any other item's anchor is <kind>-<name>, lower case,
-- with anything but letters and digits made "-" (as the core's anchor_id writes them), unless
-- the document's metadata sends a kind to one heading (link-anchors: {metric: annex-figures}).
local ONE_PLACE = {}

local function read_link_anchors(meta)
  for kind, anchor in pairs(meta["link-anchors"] or {}) do
    ONE_PLACE[kind] = pandoc.utils.stringify(anchor)
  end
end

local function link_target(kind, name)
  if kind == "section" then
    return "section-" .. name
  end
  if ONE_PLACE[kind] then
    return ONE_PLACE[kind]
  end
  return (kind .. "-" .. name:lower()):gsub("[^%w]+", "-"):gsub("^%-+", ""):gsub("%-+$", "")
end

local NOT_KINDS = { http = true, https = true, mailto = true, tel = true, ftp = true, file = true,
  data = true, javascript = true }

local function link(el)
  local kind, name = el.target:match("^(%l[%l%-]*):(.+)$")
  if kind and not NOT_KINDS[kind] then
    el.target = "#" .. link_target(kind, name)
    return el
  end
end

-- Typst: pandoc's writer drops an image's alt text, which PDF/UA-1 requires, so write the
-- image call ourselves. Columns are left to Typst's own sizing by content ("auto").
-- Pandoc keeps a picture's path %-escaped (a space as %20); a file is named without them.
local function unescaped(src)
  return (src:gsub("%%(%x%x)", function(hex) return string.char(tonumber(hex, 16)) end))
end

local function typst_string(text)
  return '"' .. text:gsub("\\", "\\\\"):gsub('"', '\\"'):gsub("%c", " ") .. '"'
end

local function typst_image(img)
  local alt = pandoc.utils.stringify(img.attributes["alt"] or img.caption)
  return pandoc.RawInline("typst",
    "#image(" .. typst_string(unescaped(img.src)) .. ", alt: " .. typst_string(alt) .. ", width: 100%)")
end

-- Typst: an accessible PDF (PDF/UA-1) needs alt text for every formula: its TeX, as written.
local function typst_math(m)
  return {
    pandoc.RawInline("typst", "#{ set math.equation(alt: " .. typst_string(m.text) .. "); ["),
    m,
    pandoc.RawInline("typst", "] }"),
  }
end

-- Typst: the document's author and subject go into strings of plan.typ ("$author-string$"), where
-- pandoc's markup would not be safe (a quote or a line break would end the string): plain text,
-- escaped for a Typst string, written by this filter.
local function typst_meta(meta)
  for _, key in ipairs({ "author", "subject" }) do
    if meta[key] ~= nil then
      local text = pandoc.utils.stringify(meta[key]):gsub("[%c]", " ")
      meta[key .. "-string"] = pandoc.RawInline("typst", text:gsub("\\", "\\\\"):gsub('"', '\\"'))
    end
  end
  return meta
end

-- Typst: columns sized by what they hold, as planpress/documents/docx.py does for Word:
-- each column gets room for its longest word, and the rest of the width goes to the
-- columns with the most text, so a reference column stays narrow and a task column wide.
local CHARS_ACROSS = { portrait = 100, landscape = 150 }  -- 9 pt table text on A4

local function table_rows(tbl)
  local rows = {}
  for _, row in ipairs(tbl.head.rows) do table.insert(rows, row) end
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.head) do table.insert(rows, row) end
    for _, row in ipairs(body.body) do table.insert(rows, row) end
  end
  return rows
end

local function size_columns(tbl, chars_across)
  local n = #tbl.colspecs
  local least, wanted, cells = {}, {}, {}
  for i = 1, n do least[i], wanted[i], cells[i] = 1, 0, 0 end
  for _, row in ipairs(table_rows(tbl)) do
    for i, cell in ipairs(row.cells) do
      if i <= n then
        local text = pandoc.utils.stringify(cell.contents)
        for word in text:gmatch("%S+") do least[i] = math.max(least[i], utf8.len(word) or #word) end
        wanted[i] = wanted[i] + (utf8.len(text) or #text)
        cells[i] = cells[i] + 1
      end
    end
  end
  local least_total, wanted_total = 0, 0
  for i = 1, n do
    least[i] = (least[i] + 2) / chars_across
    wanted[i] = math.max(wanted[i] / math.max(cells[i], 1), 1)
    least_total, wanted_total = least_total + least[i], wanted_total + wanted[i]
  end
  local spare = 1 - least_total
  for i = 1, n do
    local width = spare > 0 and least[i] + spare * wanted[i] / wanted_total or least[i] / least_total
    tbl.colspecs[i] = { tbl.colspecs[i][1], width }
  end
  return tbl
end

local function typst_table(tbl)
  return size_columns(tbl, CHARS_ACROSS.portrait)
end

local function typst_landscape_tables(div)
  if div.classes:includes("landscape") then
    return div:walk({ Table = function(tbl) return size_columns(tbl, CHARS_ACROSS.landscape) end })
  end
end

-- Typst: a landscape part's tables sized for its width before the div becomes Typst's code.
local function typst_plan_div(div)
  return typst_div(typst_landscape_tables(div) or div)
end

-- Both writers: a column the Markdown left without an alignment (an author's table, |---|)
-- is aligned by what it holds: figures (money, counts, percentages) to the right, where their
-- digits line up, and anything else to the left; never centred (Typst's figure would centre it).
-- Its header follows the column.
local FIGURE_PATTERNS = {
  "^[-+]?%$?%d[%d,]*%.?%d*%%?$",       -- 1,234  17.2%  -3.5  +16%
  "^[-+]?%$?%d[%d,]*%.?%d*[kmb]n?$",   -- £1.2m  £40k  £2bn (the pound written as $ below)
  "^%-$",                               -- a dash for none
  "^n/a$",
}
-- Lua's patterns read bytes: the signs and currencies written in more than one are made one first.
local ONE_BYTE = { ["\u{2212}"] = "-", ["\u{2013}"] = "-", ["\u{2014}"] = "-", ["£"] = "$", ["€"] = "$" }

local function is_figure(text)
  text = text:gsub("^%s+", ""):gsub("%s+$", ""):gsub(" %([^()]*%)$", ""):gsub("^%((.*)%)$", "%1")  -- 15 (Very high)
  for long, short in pairs(ONE_BYTE) do text = text:gsub(long, short) end
  for _, pattern in ipairs(FIGURE_PATTERNS) do
    if text:match(pattern) then return true end
  end
  return false
end

local function figures_column(tbl, i)
  local any = false
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      local cell = row.cells[i]
      if cell then
        local text = pandoc.utils.stringify(cell.contents)
        if text:match("%S") then
          if not is_figure(text) then return false end
          if text:match("%d") then any = true end
        end
      end
    end
  end
  return any
end

local function aligned_columns(tbl)
  local specs, changed = tbl.colspecs, false
  for i, spec in ipairs(specs) do
    if spec[1] == "AlignDefault" or spec[1] == "AlignCenter" then
      specs[i] = { figures_column(tbl, i) and "AlignRight" or "AlignLeft", spec[2] }
      changed = true
    end
  end
  if changed then  -- a table left as it was is not read back
    tbl.colspecs = specs
    return tbl
  end
end

-- Word: the cover is the plan's own (the cover div), so pandoc's title block is not wanted;
-- the document's properties are set when the file is finished.
local function docx_meta(meta)
  for _, key in ipairs({ "title", "subtitle", "author", "date", "subject" }) do
    meta[key] = nil
  end
  return meta
end

-- Word: charts as PNG (written beside each SVG), which every Word reader shows; pandoc's
-- embedded SVG is an empty box in LibreOffice and in Word before 2016.
local function docx_image(img)
  if img.src:match("%.svg$") then
    img.src = img.src:gsub("%.svg$", ".png")
    return img
  end
end

-- Safety, before anything else: nothing in the document as read is passed to a writer as its own
-- code. planpress reads the Markdown without raw attributes, so no ```{=openxml} or `x`{=typst}
-- arrives here; should one arrive all the same, it is shown as code, never run. HTML and TeX,
-- which neither writer uses, are left for the writers to drop as they always do.
local WRITERS_DROP = { html = true, html5 = true, html4 = true, tex = true, latex = true }

local function raw_block(el)
  if not WRITERS_DROP[el.format] then
    return pandoc.CodeBlock(el.text)
  end
end

local function raw_inline(el)
  if not WRITERS_DROP[el.format] then
    return pandoc.Code(el.text)
  end
end

-- A picture is a file the build put beside the document (a chart, or a picture from content/ that
-- `check` has let through): never an address on the web, an absolute path or a path leading out.
local function outside(src)
  src = unescaped(src)
  return src:match("^%a[%w+.-]*:") or src:match("^[/\\]") or src:find("\\", 1, true)
    or src == ".." or src:match("^%.%./") or src:match("/%.%./") or src:match("/%.%.$")
end

-- Word styles are the house style's: an author's own (custom-style="...") is not kept.
local function no_custom_style(el)
  if el.attributes["custom-style"] then
    el.attributes["custom-style"] = nil
    return el
  end
end

-- Links the documents keep: to a web page, an email, a telephone number, or a heading or item of
-- the document itself. Any other (a file, a network share: `check` names it) becomes its text, so
-- nothing unsafe reaches Word; a link to a heading the document does not have would stop Typst.
local SAFE_SCHEMES = { http = true, https = true, mailto = true, tel = true }

local function followable(target, ids, raw_code)
  local anchor = target:match("^#(.+)$")
  if anchor then
    return ids[anchor] or raw_code:find(anchor, 1, true) ~= nil
  end
  local scheme = target:match("^(%a[%w+.-]*):")
  return scheme ~= nil and SAFE_SCHEMES[scheme:lower()] == true
end

-- Both writers: a label/value table (a div of class row-headers around it: plan details, a scheme's
-- summary) names each row in its first cell, which is set bold as a header of its row.
local function row_headers(el)
  if not el.classes:includes("row-headers") then return nil end
  return el:walk({ Table = function(tbl)
    for _, body in ipairs(tbl.bodies) do
      for _, row in ipairs(body.body) do
        local cell = row.cells[1]
        if cell then
          cell.contents = cell.contents:walk({ Plain = function(b) return pandoc.Plain({ pandoc.Strong(b.content) }) end,
            Para = function(b) return pandoc.Para({ pandoc.Strong(b.content) }) end })
        end
      end
    end
    return tbl
  end })
end

-- Both writers: a landscape part starts a new page, so the heading and the few paragraphs that
-- lead into it (back to the heading that starts a page, or the nearest one) are taken onto its
-- first page, rather than left alone at the top of a mostly empty portrait page.
local LEAD_IN_WORDS = 250  -- about a third of a page

local function words(blocks)
  local n = 0
  for _ in pandoc.utils.stringify(blocks):gmatch("%S+") do n = n + 1 end
  return n
end

local function is_landscape(block)
  return block.t == "Div" and block.classes:includes("landscape")
end

local function landscape_lead_in(blocks)
  -- Most lists of blocks have no landscape part: left as they are, they are not read back.
  local any = false
  for _, block in ipairs(blocks) do
    if is_landscape(block) then any = true; break end
  end
  if not any then return nil end
  local out = pandoc.Blocks({})
  for _, block in ipairs(blocks) do
    if is_landscape(block) then
      -- The blocks since the last heading (of any level); then, if only a level-1 heading and a
      -- little text are before that, those too (the level-1 heading starts a page anyway).
      local start = nil
      for i = #out, 1, -1 do
        local b = out[i]
        if b.t == "Table" or b.t == "Figure" or is_landscape(b)
          or (b.t == "Para" and #b.content == 1 and b.content[1].t == "Image") then break end
        if b.t == "Header" then
          start = i
          if b.level == 1 then break end
        end
      end
      if start then
        local lead = pandoc.Blocks({})
        for i = start, #out do lead:insert(out[i]) end
        if words(lead) <= LEAD_IN_WORDS then
          for _ = start, #out do out:remove() end
          lead:extend(block.content)
          block.content = lead
        end
      end
    end
    out:insert(block)
  end
  return out
end

-- A walk of every list of blocks (a Blocks function) costs more than the rest of this work: a
-- table's every cell is one. The plan's landscape parts are at the top level or in divs, so
-- plan_walk counts every one there is, and when the top level and its divs hold them all, only
-- those lists are looked at (each div's own before the list around it, as a Blocks walk would).
local LANDSCAPE_PARTS = 0

local function parts_in(blocks)
  local n = 0
  for _, block in ipairs(blocks) do
    if block.t == "Div" then
      n = n + (is_landscape(block) and 1 or 0) + parts_in(block.content)
    end
  end
  return n
end

local function lead_ins_in(blocks)
  local changed = false
  for i, block in ipairs(blocks) do
    if block.t == "Div" then
      local content = lead_ins_in(block.content)
      if content then
        block.content = content
        blocks[i], changed = block, true
      end
    end
  end
  return landscape_lead_in(blocks) or (changed and blocks or nil)
end

local function lead_ins(doc)
  if LANDSCAPE_PARTS == 0 then return nil end
  if parts_in(doc.blocks) ~= LANDSCAPE_PARTS then  -- some elsewhere (a list, a table, a note)
    return doc:walk({ Blocks = landscape_lead_in })
  end
  local blocks = lead_ins_in(doc.blocks)
  if blocks then doc.blocks = blocks end
  return doc
end

-- Typst's pictures and formulas are written by typst_image and typst_math, which would take a walk of
-- every inline element of their own; but most pictures are a figure's alone (a chart), and most
-- plans have no formula, so plan_walk counts them, and when every picture is a figure's alone and
-- there is no formula, each figure's picture is written by a function on figures, in the walk of
-- blocks the Typst pass makes anyway.
local PICTURES, PICTURES_ALONE, FORMULAS = 0, 0, 0

local function picture_alone(fig)
  local only = #fig.content == 1 and fig.content[1]
  if only and only.t == "Plain" and #only.content == 1 and only.content[1].t == "Image" then
    return only.content[1]
  end
end

local function typst_figure(fig)
  fig.content[1].content[1] = typst_image(picture_alone(fig))
  return fig
end

local function typst_pass(doc)
  local filter = { Table = typst_table, Meta = typst_meta, Div = typst_plan_div }
  if PICTURES == PICTURES_ALONE and FORMULAS == 0 then
    filter.Figure = typst_figure
  else
    filter.Image, filter.Math = typst_image, typst_math
  end
  return doc:walk(filter)
end

-- The plan's own divs: no author's style; headings under a scheme part pushed down; row headers.
local function plan_div(el)
  if is_landscape(el) then LANDSCAPE_PARTS = LANDSCAPE_PARTS + 1 end
  local styled = no_custom_style(el)
  local shifted = shift_headings(styled or el)
  local headed = row_headers(shifted or styled or el)
  return headed or shifted or styled
end

-- The accessible PDF (PDF/UA-1) needs heading levels that go down one at a time, and Typst a
-- label used once: an author's "######" under a "##" becomes "###", and an id used again (an
-- author's {#scheme-s1} beside the plan's own) is made unique, so links go to the first.
--
-- One walk, in document order (a div before what it holds), does this and all the work before it:
-- the plan's divs (so a scheme part's headings are shifted before their levels are made right),
-- raw code shown as code, pictures from outside dropped for their caption, an author's style taken
-- off, links between parts of the plan given their anchor, columns aligned, Word's charts as PNG.
-- As it goes it notes every id, raw text and link target; only if a link then leads nowhere is the
-- document walked again, to make such links text. (Each walk marshals the document into Lua, the
-- filter's main cost; an element returned is read back, so one left as it is returns nil.)
local function plan_walk(doc)
  local previous, seen, raw, targets = 0, {}, {}, {}
  local function unique(el)
    if el.identifier == "" then return nil end
    local id, n = el.identifier, 1
    while seen[id] do n = n + 1; id = el.identifier .. "-" .. n end
    seen[id] = true
    if id ~= el.identifier then el.identifier = id; return el end
  end
  local function header(h)
    local level = h.level
    if level > previous + 1 then h.level = previous + 1 end
    previous = h.level
    if unique(h) or h.level ~= level then return h end
  end
  local function span(el)
    local styled = no_custom_style(el)
    return unique(el) or styled
  end
  local function to_anchor(l)
    local linked = link(l)
    table.insert(targets, l.target)
    return unique(l) or linked
  end
  local function raw_text(el) table.insert(raw, el.text) end
  local function block_raw(el)
    local code = raw_block(el)
    if code then return code end
    raw_text(el)
  end
  local function div(el)
    local changed = plan_div(el)
    return unique(changed or el) or changed
  end
  local function tbl(el)
    local aligned = aligned_columns(el)
    return unique(aligned or el) or aligned
  end
  local function inline_raw(el)
    local code = raw_inline(el)
    if code then return code end
    raw_text(el)
  end
  local walk
  local function picture(img)
    if outside(img.src) then
      -- Its caption in its place; a walk does not go into a list a function returns, so this one does.
      return img.caption:walk(walk)
    end
    PICTURES = PICTURES + 1
    local png = FORMAT == "docx" and docx_image(img)
    return unique(img) or png or nil
  end
  local function figure(fig)
    if picture_alone(fig) and not outside(picture_alone(fig).src) then PICTURES_ALONE = PICTURES_ALONE + 1 end
    return unique(fig)
  end
  local function formula() FORMULAS = FORMULAS + 1 end
  walk = { traverse = "topdown", Header = header, Div = div, Span = span, Table = tbl,
    Figure = figure, CodeBlock = unique, Code = unique, Image = picture, Link = to_anchor,
    RawBlock = block_raw, RawInline = inline_raw, Math = formula }
  doc = doc:walk(walk)
  local raw_code = table.concat(raw, "\n")
  for _, target in ipairs(targets) do
    if not followable(target, seen, raw_code) then
      return doc:walk({ Link = function(l)
        if not followable(l.target, seen, raw_code) then return l.content end
      end })
    end
  end
  return doc
end

-- The passes. Each is at least one walk of the whole document with its elements marshalled into
-- Lua (a table of functions is walked once for its inline functions, once for its block functions,
-- then Blocks, Meta, Pandoc; children before their parents), hence so few; the work that needs a
-- document's order or its ids is done in plan_walk's own walk.
return {
  -- First, as the links below need it: where a kind of item is sent to one heading.
  { Meta = read_link_anchors },
  -- In one walk: what the plan's divs mean, raw code, pictures, links, columns, heading levels, ids.
  { Pandoc = plan_walk },
  -- Once heading levels are right: what leads into a landscape part goes with it.
  { Pandoc = lead_ins },
  -- Last, per writer: a table's cells (and a picture) made before the div around it is turned into code.
  FORMAT == "typst" and { Pandoc = typst_pass } or {},
  FORMAT == "docx" and { Meta = docx_meta, Div = docx_div } or {},
}
