-- What a confirmed import wrote (new, changed and unchanged counts, as JSON), so its page can
-- say so afterwards on whichever instance it is opened.
ALTER TABLE imports ADD COLUMN result TEXT;
CREATE INDEX imports_created_at ON imports(created_at);
