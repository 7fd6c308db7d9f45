create table audit_me (id int, touched timestamptz);
create function touch() returns trigger as $$ begin new.touched := now(); return new; end $$ language plpgsql;
create function old_hook() returns trigger as $$ begin return new; end $$ language plpgsql;
create trigger t_touch before update on audit_me for each row execute function touch();
create trigger t_old after insert on audit_me for each row execute function old_hook();
