-- The web origins whose pages may use the app's key (AppOrigins: normalised entries separated by spaces).
ALTER TABLE apps ADD COLUMN allowed_origins TEXT NOT NULL DEFAULT '';
