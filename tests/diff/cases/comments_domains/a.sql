create domain positive as integer check (value > 0);
create domain short_text as varchar(10) default 'x';
create table commented (id positive, t short_text);
comment on table commented is 'old words';
comment on column commented.id is 'the key';
