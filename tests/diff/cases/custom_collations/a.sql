create table labels (a text, b text, c text collate "C");
create collation ignore_accents (provider = icu, locale = 'und-u-ks-level1', deterministic = false);
create table spare (x text collate ignore_accents);
