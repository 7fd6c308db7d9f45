create domain positive as integer not null check (value > 0) check (value < 100);
create domain short_text as varchar(10) default 'y';
create domain brand_new as text;
create table commented (id positive, t short_text, extra brand_new);
comment on table commented is 'new words';
comment on column commented.t is 'some text';
comment on domain positive is 'above zero';
