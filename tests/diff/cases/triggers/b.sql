create table audit_me (id int, touched timestamptz);
create function touch() returns trigger as $$ begin new.touched := clock_timestamp(); return new; end $$ language plpgsql;
create trigger t_touch before insert or update on audit_me for each row execute function touch();
create trigger t_stmt after delete on audit_me for each statement execute function touch();
alter table audit_me disable trigger t_stmt;
